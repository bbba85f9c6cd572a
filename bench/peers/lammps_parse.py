"""Peer for the lammps-parse cases: MDAnalysis' LAMMPS DumpReader reads a whole text dump.

Timed: Universe(path, format='LAMMPSDUMP') (MDAnalysis scans the whole file for frame offsets here)
plus iterating every frame and touching ts.positions. Not timed: interpreter start and imports.
Prints one JSON line: seconds, open_seconds, frames, atoms, checksum (sum of x+y+z of the last frame).
"""
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")
import MDAnalysis  # noqa: E402

path = sys.argv[1]
t0 = time.perf_counter()
u = MDAnalysis.Universe(path, format="LAMMPSDUMP")
t1 = time.perf_counter()
n_frames = u.trajectory.n_frames
frames = 0
checksum = 0.0
for ts in u.trajectory:
    pos = ts.positions
    frames += 1
    if frames == n_frames:  # the buffer is reused and rewound after the loop: sum the last frame now
        checksum = float(pos.astype("float64").sum())
t2 = time.perf_counter()
print(json.dumps({
    "seconds": t2 - t0,
    "open_seconds": t1 - t0,
    "frames": frames,
    "atoms": int(u.atoms.n_atoms),
    "checksum": checksum,
    "version": MDAnalysis.__version__,
}))
