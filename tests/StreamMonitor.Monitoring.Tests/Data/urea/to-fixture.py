#!/usr/bin/env python3
"""Turns LAMMPS dump frames of in.urea (id mol type x y z, data-file types) into the columns of the reference urea dump
(id mol element sym_type x y z), positions rounded to 0.001 A, gzip-compressed: the committed fixtures.

    to-fixture.py DUMP OUT.lammpstrj.gz [LAST_N_FRAMES]
"""
import gzip
import sys

ELEMENT = {1: 1, 2: 2, 3: 3, 4: 4, 5: 4}   # data-file type -> element (1 H, 2 O, 3 C, 4 N)
SYM_TYPE = {1: 0, 2: 2, 3: 1, 4: 3, 5: 4}  # data-file type -> sym_type (0 H, 1 C, 2 O, 3 N1, 4 N2)

source, target = sys.argv[1], sys.argv[2]
last = int(sys.argv[3]) if len(sys.argv) > 3 else None

frames = []
with open(source) as f:
    lines = f.read().split("\n")
i = 0
while i < len(lines) and lines[i].startswith("ITEM: TIMESTEP"):
    n = int(lines[i + 3])
    header = lines[i + 8].split()[2:]
    col = {name: k for k, name in enumerate(header)}
    out = lines[i:i + 8] + ["ITEM: ATOMS id mol element sym_type x y z"]
    for line in lines[i + 9:i + 9 + n]:
        v = line.split()
        t = int(v[col["type"]])
        out.append(f"{v[col['id']]} {v[col['mol']]} {ELEMENT[t]} {SYM_TYPE[t]} "
                   f"{float(v[col['x']]):.3f} {float(v[col['y']]):.3f} {float(v[col['z']]):.3f}")
    frames.append("\n".join(out) + "\n")
    i += 9 + n
if last is not None:
    frames = frames[-last:]
# mtime 0: the same frames give the same bytes
with gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as g:
    g.write("".join(frames).encode())
print(f"{target}: {len(frames)} frames")
