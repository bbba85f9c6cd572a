"""Peer for the xtc-decode case: MDAnalysis' XTCReader (xdrfile, C) decodes a whole XTC file.

Timed: XTCReader(path, refresh_offsets=True) (a fresh offset scan of the frame headers instead of MDAnalysis'
cached side file) plus iterating every frame and touching ts.positions. Not timed: interpreter start, imports.
Prints one JSON line: seconds, open_seconds, frames, atoms, checksum (sum of x+y+z of the last frame, in Å).
"""
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")
import MDAnalysis  # noqa: E402
from MDAnalysis.coordinates.XTC import XTCReader  # noqa: E402

path = sys.argv[1]
t0 = time.perf_counter()
r = XTCReader(path, refresh_offsets=True)
t1 = time.perf_counter()
n_frames = r.n_frames
frames = 0
checksum = 0.0
for ts in r:
    pos = ts.positions
    frames += 1
    if frames == n_frames:  # the buffer is reused and rewound after the loop: sum the last frame now
        checksum = float(pos.astype("float64").sum())
t2 = time.perf_counter()
print(json.dumps({
    "seconds": t2 - t0,
    "open_seconds": t1 - t0,
    "frames": frames,
    "atoms": int(r.n_atoms),
    "checksum": checksum,
    "version": MDAnalysis.__version__,
}))
