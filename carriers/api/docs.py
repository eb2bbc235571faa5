"""The API's human documentation: its OpenAPI schema read back as a page, with no script and no CDN."""

import functools
from dataclasses import dataclass, field

from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator


@dataclass
class Parameter:
    name: str
    kind: str
    description: str


@dataclass
class Endpoint:
    path: str
    summary: str
    description: str
    parameters: list = field(default_factory=list)
    fields: list = field(default_factory=list)


@functools.cache
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def endpoints():
    """Each GET operation with its query and path parameters and the fields of what it returns."""
    spec = schema()
    components = spec["components"]["schemas"]
    found = []
    for path, operations in spec["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        found.append(
            Endpoint(
                path=path,
                summary=operation.get("summary", ""),
                description=operation.get("description", ""),
                parameters=[
                    Parameter(parameter["name"], type_of(parameter["schema"]), parameter.get("description", ""))
                    for parameter in operation.get("parameters", [])
                ],
                fields=fields_of(record_schema(body, components), components),
            )
        )
    return found


def record_schema(body, components):
    """The schema of one returned record: inside `results` for a paginated list."""
    body = resolved(body, components)
    results = body.get("properties", {}).get("results")
    return resolved(results["items"], components) if results else body


def resolved(node, components):
    if "$ref" in node:
        return components[node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return resolved(node["allOf"][0], components)
    return node


def fields_of(record, components, prefix=""):
    rows = []
    for name, node in record.get("properties", {}).items():
        node = {**resolved(node, components), **{k: v for k, v in node.items() if k != "allOf"}}
        rows.append(Parameter(prefix + name, type_of(node), node.get("description", "")))
        items = node.get("items")
        if items and "$ref" in items:
            rows += fields_of(resolved(items, components), components, prefix=f"{prefix}{name}[].")
    return rows


def type_of(node):
    if "enum" in node:
        return "one of " + ", ".join(str(value) for value in node["enum"] if value is not None)
    kind = node.get("type", "object")
    if kind == "array":
        items = node.get("items", {})
        kind = f"list of {'objects' if '$ref' in items else items.get('type', 'values')}"
    elif node.get("format"):
        kind = f"{kind} ({node['format']})"
    return f"{kind}, or null" if node.get("nullable") else kind


@require_safe
def api_docs(request):
    return render(request, "carriers/api_docs.html", {"endpoints": endpoints(), "info": schema()["info"]})
