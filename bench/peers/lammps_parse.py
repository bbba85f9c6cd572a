"""Peer for the lammps-parse cases: MDAnalysis' LAMMPS DumpReader reads a whole text dump.

Timed: Universe(path, format='LAMMPSDUMP') (MDAnalysis scans the whole file for frame offsets here)
plus iterating every frame and touching ts.positions. Not timed: interpreter start and imports.
Prints one JSON line: seconds, open_seconds, frames, atoms, checksum (sum of x+y+z of the last frame).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_timing import MDAnalysis, time_read  # noqa: E402


def open_dump():
    u = MDAnalysis.Universe(sys.argv[1], format="LAMMPSDUMP")
    return u.trajectory, u.atoms.n_atoms


time_read(open_dump)
