"""Country outlines as SVG paths, decoded once per process from world-atlas's TopoJSON (static/geo/)."""

import functools
import json
import math
from dataclasses import dataclass

import pycountry
from django.conf import settings

TOPOLOGY = settings.BASE_DIR / "static" / "geo" / "countries-110m.json"
WIDTH = 960
# Antarctica holds no carriers and would take a fifth of the height.
LEFT_OUT = {"AQ"}
# SVG units per radian of the projection: the world 960 units wide.
SCALE = WIDTH / (2 * math.pi * 0.8707)
# The northernmost land drawn (Greenland, Ellesmere Island) reaches 83.6° N; the map starts just above it.
NORTH, SOUTH = 84, -57


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    path: str


def natural_earth(longitude, latitude):
    """The Natural Earth projection (Šavrič et al. 2011, as d3-geo's geoNaturalEarth1), in map units."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return WIDTH / 2 + x * SCALE, -y * SCALE


def decoded_arcs(topology):
    """Each arc's points in longitude and latitude: TopoJSON stores them quantised and delta-encoded."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    """A ring's points from its arcs; ~i is arc i backwards, and each arc repeats the last point of the one before."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrapped(points):
    """The ring with longitudes made continuous: a step across the antimeridian goes on past ±180°."""
    continuous, shift = points[:1], 0
    for (previous, _), (longitude, latitude) in zip(points, points[1:], strict=False):
        shift += 360 if previous - longitude > 180 else -360 if longitude - previous > 180 else 0
        continuous.append((longitude + shift, latitude))
    return continuous


def clipped(points, inside, meridian):
    """The part of a ring on one side of a meridian (Sutherland–Hodgman), closed along it."""

    def crossing(a, b):
        t = (meridian - a[0]) / (b[0] - a[0])
        return meridian, a[1] + t * (b[1] - a[1])

    kept = []
    for a, b in zip(points, points[1:] + points[:1], strict=True):
        if inside(b):
            if not inside(a):
                kept.append(crossing(a, b))
            kept.append(b)
        elif inside(a):
            kept.append(crossing(a, b))
    return kept


def within_world(points):
    """A ring as rings between -180° and 180°: Russia's and Fiji's straddle the antimeridian and are cut there."""
    ring = unwrapped(points)
    middle = clipped(clipped(ring, lambda p: p[0] <= 180, 180), lambda p: p[0] >= -180, -180)
    east = [(longitude - 360, latitude) for longitude, latitude in clipped(ring, lambda p: p[0] > 180, 180)]
    west = [(longitude + 360, latitude) for longitude, latitude in clipped(ring, lambda p: p[0] < -180, -180)]
    return [part for part in (middle, east, west) if len(part) > 2]


def svg_path(polygons, arcs):
    commands = []
    for polygon in polygons:
        for ring in polygon:
            for part in within_world(ring_points(ring, arcs)):
                xy = [natural_earth(longitude, latitude) for longitude, latitude in part]
                commands.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(commands)


@functools.cache
def outlines():
    """Every country drawn, by ISO 3166-1 alpha-2 code (disputed areas without a code are left out)."""
    topology = json.loads(TOPOLOGY.read_text())
    arcs = decoded_arcs(topology)
    drawn = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id", ""))
        if country is None or country.alpha_2 in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        drawn.append(Outline(country.alpha_2, geometry["properties"]["name"], svg_path(polygons, arcs)))
    return tuple(sorted(drawn, key=lambda outline: outline.code))


def view_box():
    """The SVG viewBox from the northernmost to the southernmost land drawn (Tierra del Fuego)."""
    top, bottom = natural_earth(0, NORTH)[1], natural_earth(0, SOUTH)[1]
    return f"0 {math.floor(top)} {WIDTH} {math.ceil(bottom - top)}"
