"""A release's contents: the public CSVs of the full lists, and the Frictionless Data Package describing them."""

import codecs
import csv
import hashlib
import json

from carriers import exports
from carriers.models import (
    Carrier,
    CitationEntry,
    CleanLabel,
    Country,
    CountryPosition,
    Deadline,
    EquipmentUse,
    Event,
    Initiative,
    Restriction,
    Source,
    Vendor,
)

PACKAGE_NAME = "vendor-exposure-tracker"
TITLE = "Telecom vendor-exposure tracker"
AUTHOR = "The Telecom vendor-exposure tracker project"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DESCRIPTOR = "datapackage.json"

# Each CSV comes from the same base queryset as its public list, unfiltered: the full download.
MODELS = {
    "carriers": Carrier,
    "equipment": EquipmentUse,
    "labels": CleanLabel,
    "positions": CountryPosition,
    "countries": Country,
    "vendors": Vendor,
    "initiatives": Initiative,
    "events": Event,
    "restrictions": Restriction,
    "deadlines": Deadline,
    "sources": Source,
    "citations": CitationEntry,
}

FACT_TABLES = ["equipment", "labels", "positions", "events", "restrictions", "deadlines"]
# Columns that are not text; every other column is a string (partial dates too: 2020, 2020-08, 2020-08-05).
TYPES = {
    ("carriers", "subscribers"): {"type": "integer"},
    ("carriers", "subscribers_as_of"): {"type": "date"},
    ("carriers", "equipment_uses"): {"type": "integer"},
    ("carriers", "clean_labels"): {"type": "integer"},
    ("equipment", "share_percent"): {"type": "number"},
    ("countries", "carriers"): {"type": "integer"},
    ("restrictions", "deadlines"): {"type": "integer"},
    ("deadlines", "due_by"): {"type": "date"},
    ("deadlines", "days_remaining"): {"type": "integer"},
    ("sources", "offline"): {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    ("sources", "accessed_on"): {"type": "date"},
    ("citations", "fact_id"): {"type": "integer"},
    **{
        (table, column): kind
        for table in FACT_TABLES
        for column, kind in [("id", {"type": "integer"}), ("changed", {"type": "datetime", "format": "any"})]
    },
}
PARTIAL_DATE = {"pattern": r"\d{4}(-\d{2}(-\d{2})?)?"}
# Descriptions that differ in a release: its CSVs are not downloaded on the day they are read.
DESCRIPTIONS = {
    ("deadlines", "days_remaining"): "Days from the release's creation date to due_by; negative once passed.",
}
PRIMARY_KEYS = {
    **dict.fromkeys(FACT_TABLES, "id"),
    "citations": ["fact_type", "fact_id", "source", "location"],
    "carriers": "slug",
    "countries": "code",
    "vendors": "slug",
    "initiatives": "slug",
    "events": "slug",
    "restrictions": "slug",
    "sources": "key",
}


def tables():
    """(export, queryset) for every CSV of a release, in the order of the data dictionary."""
    return [(export, MODELS[export.name].objects.public_list()) for export in exports.ALL]


class TableWriter:
    """Writes one CSV into an open binary file, counting its bytes and records and hashing them on the way."""

    def __init__(self, export):
        self.export = export
        self.digest = hashlib.sha256()
        self.bytes = 0
        self.rows = 0

    def write(self, queryset, stream):
        # PostgreSQL's COPY yields bytes cut anywhere, even inside a character; Python yields text.
        decoder = codecs.getincrementaldecoder("utf-8")()

        def written():
            for chunk in self.export.lines(queryset):
                data = chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
                self.digest.update(data)
                self.bytes += len(data)
                stream.write(data)
                yield decoder.decode(data)

        # Records, not lines: a quoted cell may hold line breaks, so a CSV reader counts them.
        self.rows = sum(1 for _ in csv.reader(lines(written()))) - 1

    def summary(self):
        return {"title": self.export.title, "rows": self.rows, "bytes": self.bytes, "sha256": self.digest.hexdigest()}


def lines(chunks):
    """Text chunks cut anywhere (COPY's are), as whole lines for csv.reader."""
    pending = ""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split("\n")
        yield from (line + "\n" for line in complete)
    if pending:
        yield pending


def schema(export):
    fields = []
    for column in export.columns:
        field = {
            "name": column.header,
            "description": DESCRIPTIONS.get((export.name, column.header), column.description),
            "type": "string",
        }
        field.update(TYPES.get((export.name, column.header), {}))
        if "at its precision" in column.description:
            field["constraints"] = PARTIAL_DATE
        fields.append(field)
    described = {"fields": fields, "missingValues": [""]}
    if export.name in PRIMARY_KEYS:
        key = PRIMARY_KEYS[export.name]
        described["primaryKey"] = key if isinstance(key, list) else [key]
    return described


def descriptor(number, created, summaries):
    """datapackage.json: what each CSV holds, its schema, rows, size and SHA-256; licence, sources, version."""
    exports_by_name = {export.name: export for export, _ in tables()}
    return {
        "name": PACKAGE_NAME,
        "title": f"{TITLE}, release {number}",
        "description": "Which telecom carriers run equipment from which vendors, which carriers governments "
        "label clean, where countries stand on initiatives, and what governments decided: every fact dated "
        "and cited. Each CSV is the site's public download of the full list on the day of the release.",
        "version": str(number),
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [LICENCE],
        "contributors": [{"title": AUTHOR, "role": "author"}],
        "sources": [
            {
                "title": "The documents each fact cites: listed in sources.csv, named by key in every fact's "
                "sources column",
                "path": "sources.csv",
            }
        ],
        "resources": [
            {
                "name": name,
                "title": summary["title"],
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": summary["bytes"],
                "hash": f"sha256:{summary['sha256']}",
                "rows": summary["rows"],
                "schema": schema(exports_by_name[name]),
            }
            for name, summary in summaries.items()
        ],
    }


def descriptor_json(number, created, summaries):
    return json.dumps(descriptor(number, created, summaries), indent=2, ensure_ascii=False) + "\n"
