#!/usr/bin/env python3
"""Writes a LAMMPS data file (atom_style full) of urea form I cut from the crystal in form-I-3456atoms.dump (432
molecules), with the topology, charges and atom types of the reference slab (slab-1200.data), and the force-field
settings with the `fourier` dihedrals rewritten as `multi/harmonic`, which Debian's LAMMPS has (same energies, expanded
in powers of cos phi).

    urea-data.py UREA_DIR OUT_DIR [--cells NX NY NZ] [--cluster RADIUS --box EDGE | --slab VACUUM] [--name NAME]
    -> OUT_DIR/NAME.data (default form-I.data), OUT_DIR/urea.settings

    --cells     the crystal repeated NX x NY x NZ times (default 1 1 1: the reference cell)
    --cluster   a nanocluster: the molecules whose carbon lies within RADIUS A of the middle of the (repeated) crystal,
                centred in a cubic periodic box of edge EDGE A (vacuum around it)
    --slab      a slab with two free (001) faces: the crystal, periodic in x and y, with VACUUM A of empty space above
                its upper face (the box's z edge grows by VACUUM)

The dump names atoms by element (1 H, 2 O, 3 C, 4 N) and sym_type (0 H, 1 C, 2 O, 3 N1, 4 N2); the data file's types
are the slab's: 1 H, 2 O, 3 C, 4 N1, 5 N2, so the N1 -> N2 vector the classifier reads keeps the reference's sense.
Molecules are written whole (each atom at the minimum image of its carbon); LAMMPS maps those outside the box back in.
"""
import argparse
import math
import os
import re
import sys

parser = argparse.ArgumentParser(description="urea form I data file and force field for LAMMPS")
parser.add_argument("urea")
parser.add_argument("out")
parser.add_argument("--cells", type=int, nargs=3, default=[1, 1, 1], metavar=("NX", "NY", "NZ"))
shape = parser.add_mutually_exclusive_group()
shape.add_argument("--cluster", type=float, metavar="RADIUS")
shape.add_argument("--slab", type=float, metavar="VACUUM")
parser.add_argument("--box", type=float, metavar="EDGE")
parser.add_argument("--name", default="form-I")
args = parser.parse_args()
if (args.cluster is None) != (args.box is None):
    sys.exit("urea-data.py: --cluster RADIUS and --box EDGE go together")
if min(args.cells) < 1:
    sys.exit(f"urea-data.py: --cells must be positive, got {args.cells}")
urea, out = args.urea, args.out

TYPE_OF_SYM = {0: 1, 2: 2, 1: 3, 3: 4, 4: 5}       # sym_type -> data-file type
CHARGE = {1: 0.333, 2: -0.39, 3: 0.142, 4: -0.542, 5: -0.542}   # the slab's charges per type (a molecule sums to 0)


def read_first_frame(path):
    with open(path) as f:
        lines = f.read().split("\n")
    n = int(lines[3])
    bounds = [tuple(map(float, lines[5 + k].split()[:2])) for k in range(3)]
    header = lines[8].split()[2:]
    atoms = []
    for line in lines[9:9 + n]:
        row = dict(zip(header, line.split()))
        atoms.append((int(row["id"]), int(row["mol"]), int(row["sym_type"]),
                      float(row["x"]), float(row["y"]), float(row["z"])))
    return bounds, atoms


bounds, atoms = read_first_frame(os.path.join(urea, "form-I-3456atoms.dump"))
lengths = [hi - lo for lo, hi in bounds]


def distance(a, b):
    d2 = 0.0
    for k in range(3):
        d = a[3 + k] - b[3 + k]
        d -= lengths[k] * round(d / lengths[k])
        d2 += d * d
    return math.sqrt(d2)



def whole(atoms):
    """Each atom moved to the minimum image of its molecule's carbon, so every molecule is in one piece."""
    carbon = {a[1]: a for a in atoms if a[2] == 1}
    return [a[:3] + tuple(a[3 + k] - lengths[k] * round((a[3 + k] - carbon[a[1]][3 + k]) / lengths[k]) for k in range(3))
            for a in atoms]


def select(atoms, keep):
    """The atoms of the molecules whose carbon passes keep(x, y, z), renumbered from 1 (atoms and molecules)."""
    kept = sorted({a[1] for a in atoms if a[2] == 1 and keep(*a[3:6])})
    mol_of = {m: k + 1 for k, m in enumerate(kept)}
    chosen = sorted((a for a in atoms if a[1] in mol_of), key=lambda a: (mol_of[a[1]], a[0]))
    return [(k + 1, mol_of[a[1]]) + a[2:] for k, a in enumerate(chosen)]


cell_atoms = whole(atoms)
per_cell = max(a[0] for a in atoms), max(a[1] for a in atoms)
atoms = []
for ix in range(args.cells[0]):
    for iy in range(args.cells[1]):
        for iz in range(args.cells[2]):
            copy = (ix * args.cells[1] + iy) * args.cells[2] + iz
            shift = (ix * lengths[0], iy * lengths[1], iz * lengths[2])
            atoms += [(a[0] + copy * per_cell[0], a[1] + copy * per_cell[1], a[2]) + tuple(a[3 + k] + shift[k] for k in range(3))
                      for a in cell_atoms]
crystal = [(lo, lo + n * (hi - lo)) for (lo, hi), n in zip(bounds, args.cells)]
if args.cluster is not None:
    middle = [(lo + hi) / 2 for lo, hi in crystal]
    atoms = select(atoms, lambda x, y, z: math.dist((x, y, z), middle) < args.cluster)
    bounds = [(c - args.box / 2, c + args.box / 2) for c in middle]
    shape_text = f"a nanocluster: the molecules whose C is within {args.cluster:g} A of the middle, in a {args.box:g} A box"
elif args.slab is not None:
    atoms = select(atoms, lambda x, y, z: True)
    bounds = crystal[:2] + [(crystal[2][0], crystal[2][1] + args.slab)]
    shape_text = f"a slab with free (001) faces and {args.slab:g} A of vacuum"
else:
    atoms = select(atoms, lambda x, y, z: True)
    bounds = crystal
    shape_text = "the periodic crystal"

molecules = {}
for a in atoms:
    molecules.setdefault(a[1], []).append(a)

bonds, angles, dihedrals, impropers = [], [], [], []
for mol, members in sorted(molecules.items()):
    by_sym = {}
    for a in members:
        by_sym.setdefault(a[2], []).append(a)
    c, o, n1, n2 = by_sym[1][0], by_sym[2][0], by_sym[3][0], by_sym[4][0]
    hydrogens = by_sym[0]
    if len(members) != 8 or len(hydrogens) != 4:
        sys.exit(f"molecule {mol}: expected 8 atoms with 4 H, got {len(members)}")
    h1 = sorted(hydrogens, key=lambda h: distance(h, n1))[:2]
    h2 = [h for h in hydrogens if h not in h1]
    if max(distance(h, n) for hs, n in ((h1, n1), (h2, n2)) for h in hs) > 1.2:
        sys.exit(f"molecule {mol}: a hydrogen is not bonded to its nitrogen")
    i = lambda a: a[0]
    # The slab's topology of one molecule, type by type (bond, angle, dihedral and improper types as there).
    bonds += [(1, i(c), i(n2)), (1, i(c), i(n1)), (2, i(c), i(o))]
    bonds += [(3, i(h), i(n)) for hs, n in ((h1, n1), (h2, n2)) for h in hs]
    for hs, n, other in ((h1, n1, n2), (h2, n2, n1)):
        angles += [(3, i(h), i(n), i(c)) for h in hs] + [(4, i(hs[0]), i(n), i(hs[1]))]
        dihedrals += [(1, i(h), i(n), i(c), i(other)) for h in hs] + [(2, i(h), i(n), i(c), i(o)) for h in hs]
        impropers += [(2, i(hs[0]), i(hs[1]), i(n), i(c))]
    angles += [(1, i(n2), i(c), i(n1)), (2, i(n2), i(c), i(o)), (2, i(n1), i(c), i(o))]
    impropers += [(1, i(n2), i(n1), i(c), i(o))]

os.makedirs(out, exist_ok=True)
data_path = os.path.join(out, args.name + ".data")
with open(data_path, "w") as f:
    f.write(f"urea form I ({args.cells[0]}x{args.cells[1]}x{args.cells[2]} cells), {shape_text}, {len(molecules)} molecules, "
            "from form-I-3456atoms.dump (topology and charges of slab-1200.data)\n\n")
    for count, name in ((len(atoms), "atoms"), (5, "atom types"), (len(bonds), "bonds"), (3, "bond types"),
                        (len(angles), "angles"), (4, "angle types"), (len(dihedrals), "dihedrals"), (2, "dihedral types"),
                        (len(impropers), "impropers"), (2, "improper types")):
        f.write(f"{count} {name}\n")
    f.write("\n")
    for (lo, hi), axis in zip(bounds, "xyz"):
        f.write(f"{lo!r} {hi!r} {axis}lo {axis}hi\n")
    f.write("\nMasses\n\n1 1.008\n2 16\n3 12.01\n4 14.01\n5 14.01\n\nAtoms # full\n\n")
    for a in atoms:
        t = TYPE_OF_SYM[a[2]]
        f.write(f"{a[0]} {a[1]} {t} {CHARGE[t]} {a[3]!r} {a[4]!r} {a[5]!r} 0 0 0\n")
    for title, rows in (("Bonds", bonds), ("Angles", angles), ("Dihedrals", dihedrals), ("Impropers", impropers)):
        f.write(f"\n{title}\n\n")
        for k, row in enumerate(rows, 1):
            f.write(" ".join(map(str, (k,) + row)) + "\n")

# fourier:  K [1 + cos(n phi - d)]. n = 2, d = 180: K (2 - 2 cos^2 phi); n = 1, d = 0: K (1 + cos phi).
# multi/harmonic: sum A_m cos^(m-1) phi.
def multi_harmonic(terms):
    a = [0.0] * 5
    for k, n, d in terms:
        if (n, d) == (2, 180.0):
            a[0] += 2 * k
            a[2] -= 2 * k
        elif (n, d) == (1, 0.0):
            a[0] += k
            a[1] += k
        else:
            sys.exit(f"fourier term n={n} d={d} not handled")
    return " ".join(f"{v:g}" for v in a)


settings = []
with open(os.path.join(urea, "urea.settings")) as f:
    for line in f:
        m = re.match(r"\s*dihedral_coeff\s+(\d+)\s+fourier\s+(\d+)\s+(.*)", line)
        if m:
            values = m.group(3).split("#")[0].split()
            terms = [(float(values[3 * j]), int(values[3 * j + 1]), float(values[3 * j + 2])) for j in range(int(m.group(2)))]
            line = f"  dihedral_coeff  {m.group(1)} multi/harmonic {multi_harmonic(terms)}\n"
        settings.append(line)
with open(os.path.join(out, "urea.settings"), "w") as f:
    f.writelines(settings)
print(f"{data_path}: {len(atoms)} atoms, {len(molecules)} molecules, {len(bonds)} bonds, {len(angles)} angles, "
      f"{len(dihedrals)} dihedrals, {len(impropers)} impropers")
