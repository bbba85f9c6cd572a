"""Peer for the cli-frames case: what `streammonitor frames FILE` prints, written by MDAnalysis as a whole process.

Reads every frame of a LAMMPS text dump with MDAnalysis' DumpReader (positions parsed, as ours parses them) and writes
one line per frame in the command's own text form (index, step, atoms, box, density) to stdout, so the two outputs can
be compared byte for byte. Orthogonal boxes only (the bench input). Timed from outside, start-up and imports included.
"""

import sys
import warnings

warnings.simplefilter("ignore")
import MDAnalysis  # noqa: E402


def trimmed(value, decimals):
    """.NET's "0.###" form: at most `decimals` decimals, no trailing zeros."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


u = MDAnalysis.Universe(sys.argv[1], format="LAMMPSDUMP")
out = sys.stdout
for ts in u.trajectory:
    ts.positions  # noqa: B018 - the coordinates are read for every frame, as ours reads them
    lx, ly, lz = (float(v) for v in ts.dimensions[:3])
    n = ts.n_atoms
    out.write(f"frame {ts.frame:5d}  step {ts.data['step']:9d}  atoms {n}  box {trimmed(lx, 3)} x {trimmed(ly, 3)} x {trimmed(lz, 3)}"
              f"  density {trimmed(n / (lx * ly * lz), 4)}\n")
