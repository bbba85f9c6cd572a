"""Peer for the xtc-decode case: MDAnalysis' XTCReader (xdrfile, C) decodes a whole XTC file.

Timed: XTCReader(path, refresh_offsets=True) (a fresh offset scan of the frame headers instead of MDAnalysis'
cached side file) plus iterating every frame and touching ts.positions. Not timed: interpreter start, imports.
Prints one JSON line: seconds, open_seconds, frames, atoms, checksum (sum of x+y+z of the last frame, in Å).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_timing import MDAnalysis, time_read  # noqa: E402
from MDAnalysis.coordinates.XTC import XTCReader  # noqa: E402


def open_xtc():
    r = XTCReader(sys.argv[1], refresh_offsets=True)
    return r, r.n_atoms


time_read(open_xtc)
