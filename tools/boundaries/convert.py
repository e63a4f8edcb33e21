#!/usr/bin/env python3
"""Converts Natural Earth country outlines from the npm package world-atlas 2.0.2 into
Faultline's compact boundary assets (assets/boundaries-110m.bin, assets/boundaries-50m.bin).

Run once, by hand, when the boundaries change; the app never downloads anything:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 tools/boundaries/convert.py /tmp/package assets

The output keeps the TopoJSON's own integer grid (no precision is lost). Layout, all
integers little-endian (read by core/src/basemap.rs):

    8 bytes   b"FLBND1\\n\\0"
    4 x f64   scale_x, scale_y, translate_x, translate_y   (lon = x * scale_x + translate_x)
    u32       countries
    per country, sorted by name:
      u16 + bytes   name (UTF-8), as Natural Earth spells it in world-atlas
      u16           ISO 3166-1 numeric code, 0 when it has none (Kosovo, N. Cyprus, ...)
      u32           polygons
      per polygon: u32 rings (the first is the outline, the others holes)
        per ring: u32 points, then each point as two zigzag LEB128 varints: the change
                  in x and in y from the previous point (the first from 0, 0)
"""

import json
import struct
import sys
from pathlib import Path

MAGIC = b"FLBND1\n\0"


def decode_arcs(topology):
    """The arcs as lists of absolute integer grid points."""
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def ring_points(arcs, indices):
    """One ring from its arc indices (a negative index is arc ~i reversed)."""
    points = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def varint(value):
    zigzag = (value << 1) ^ (value >> 63)
    out = bytearray()
    while True:
        byte = zigzag & 0x7F
        zigzag >>= 7
        if zigzag:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_ring(points):
    out = bytearray(struct.pack("<I", len(points)))
    px = py = 0
    for x, y in points:
        out += varint(x - px) + varint(y - py)
        px, py = x, y
    return bytes(out)


def convert(source, target):
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    transform = topology["transform"]
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        name = geometry["properties"]["name"]
        code = int(geometry.get("id") or 0)
        countries.append((name, code, [[ring_points(arcs, r) for r in p] for p in polygons]))
    countries.sort(key=lambda c: c[0])
    out = bytearray(MAGIC)
    out += struct.pack("<4d", *transform["scale"], *transform["translate"])
    out += struct.pack("<I", len(countries))
    for name, code, polygons in countries:
        encoded = name.encode("utf-8")
        out += struct.pack("<H", len(encoded)) + encoded
        out += struct.pack("<HI", code, len(polygons))
        for polygon in polygons:
            out += struct.pack("<I", len(polygon))
            for ring in polygon:
                out += encode_ring(ring)
    Path(target).write_bytes(bytes(out))
    print(f"{target}: {len(countries)} countries, {len(out)} bytes")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: convert.py WORLD_ATLAS_PACKAGE_DIR ASSETS_DIR")
    package, assets = Path(sys.argv[1]), Path(sys.argv[2])
    for scale in ("110m", "50m"):
        convert(package / f"countries-{scale}.json", assets / f"boundaries-{scale}.bin")


if __name__ == "__main__":
    main()
