#!/usr/bin/env python3
"""Marks the surface molecules of a LAMMPS dump (columns id mol type element x y z) in its `type` column: every atom of
a molecule that `streammonitor descriptors --kind surface` calls surface gets type 2, every other atom type 1, so a
data-set manifest can label the two by type (`label path frames 2`). Atom roles stay readable from `element`.

    mark-surface.py DUMP SURFACE_CSV       (SURFACE_CSV: frame,mol,neighbors,surface; DUMP is rewritten in place)
"""
import csv
import sys

dump, table = sys.argv[1], sys.argv[2]
surface = set()
with open(table) as f:
    for row in csv.DictReader(f):
        if row["surface"] in ("1", "true", "True"):
            surface.add((int(row["frame"]), int(row["mol"])))

with open(dump) as f:
    lines = f.read().split("\n")
out, i, frame = [], 0, 0
while i < len(lines) and lines[i].startswith("ITEM: TIMESTEP"):
    n = int(lines[i + 3])
    header = lines[i + 8].split()[2:]
    if "mol" not in header or "type" not in header:
        sys.exit(f"mark-surface.py: {dump}: frame {frame} has no mol or type column ({' '.join(header)})")
    mol, kind = header.index("mol"), header.index("type")
    out += lines[i:i + 9]
    for line in lines[i + 9:i + 9 + n]:
        v = line.split()
        v[kind] = "2" if (frame, int(v[mol])) in surface else "1"
        out.append(" ".join(v))
    i += 9 + n
    frame += 1
if frame == 0 or not surface:
    sys.exit(f"mark-surface.py: {dump}: {frame} frames, {len(surface)} surface molecules in {table}")
with open(dump, "w") as f:
    f.write("\n".join(out) + "\n")
print(f"{dump}: {frame} frames, {len(surface)} surface molecule-frames marked type 2")
