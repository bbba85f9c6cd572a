#!/usr/bin/env bash
# Regenerates the molsf-reference-*.csv files next to this script: the molecular symmetry functions that the reference
# program (rogalj/MolStrucClassifier, molvec_lib/ver2.0, BSD-3-Clause) computes for the urea and nicotinamide
# dumps of data/molstrucclassifier. Needs the reference sources (not part of this repository) and g++ and python3:
#
#   ./make-molsf-reference.sh PATH/TO/MolStrucClassifier/molvec_lib/ver2.0 [DATA_DIR]   (default: data/ of this repository)
#
# The program is built and run in a scratch folder (nothing of it is kept). Its INPUT files are those of data/molstrucclassifier with
# "symf_calc_or_NN symf_calc" (print the features instead of running its network). Its output has 6 significant digits
# and one row per molecule in the id order of the center atoms, which is molecule-id order for these files.
#  - urea: form-I-3456atoms.dump, orthogonal box, "lammps_sym_new" (the reference is correct here);
#  - nicotinamide, direct: nico_testtraj.dump with a sym_type column added from element (10 -> 2 C6, 9 -> 1 C3, 3 -> 3 O,
#    6 -> 4 N), "lammps_sym_new_tri": the reference's tilted-cell minimum image (xy and yz swapped) makes this WRONG;
#    kept to document the defect;
#  - nicotinamide, orthogonalised: the same crystal with molecules made whole (correct LAMMPS triclinic geometry),
#    surrounded by every periodic image of a molecule within 10 A of an original one, in an orthogonal box far larger
#    than the cluster, "lammps_sym_new" with "triclinic false": the reference needs no periodic image here, so its
#    first 80 rows (the original molecules) are the correct periodic features.
set -euo pipefail
src=$(cd "${1:?usage: $0 REFERENCE_SOURCE_DIR [DATA_DIR]}" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
reference=$(cd "${2:-$here/../../../data}" && pwd)/molstrucclassifier
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

g++ -O2 -o "$work/sa" "$src/readinput.cpp" "$src/main.cpp" "$src/molvec.cpp" "$src/nn.cpp" 2>/dev/null

# run NAME DUMP FILETYPE INPUT WEIGHTS [triclinic false]: features in $work/NAME/symf_result.txt
run() {
  mkdir -p "$work/$1"
  sed 's/^symf_calc_or_NN  NN/symf_calc_or_NN  symf_calc/' "$4" > "$work/$1/INPUT.dat"
  if [ "${6:-}" = orthogonal ]; then sed -i 's/^triclinic        true/triclinic        false/' "$work/$1/INPUT.dat"; fi
  cp "$5" "$work/$1/weight.txt"
  (cd "$work/$1" && "$work/sa" "$2" "$3" INPUT.dat >/dev/null)
}

# csv NAME DUMP ROWS_PER_FRAME OUT: frame,mol,sf1..sf24 with the mol id of each center atom (sym_type column = center)
csv() {
  python3 - "$work/$1/symf_result.txt" "$2" "$3" "$4" "$5" <<'PY'
import sys
result, dump, center, rows, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
# molecule ids of the center atoms (sym_type == center), by atom id, per frame
frames, lines = [], open(dump).read().split('\n')
i = 0
while i < len(lines):
    if lines[i].startswith('ITEM: NUMBER OF ATOMS'):
        n = int(lines[i + 1]); i += 2
        while not lines[i].startswith('ITEM: ATOMS'): i += 1
        cols = lines[i].split()[2:]
        atoms = [l.split() for l in lines[i + 1:i + 1 + n]]
        ci, mi, si = cols.index('id'), cols.index('mol'), cols.index('sym_type')
        frames.append([int(a[mi]) for a in sorted(atoms, key=lambda a: int(a[ci])) if a[si] == center])
        i += n
    i += 1
values = [l.split() for l in open(result) if l.strip()]
with open(out, 'w') as f:
    f.write('frame,mol,' + ','.join(f'sf{k + 1}' for k in range(24)) + '\n')
    for fr, mols in enumerate(frames):
        for m, mol in enumerate(mols[:rows]):
            f.write(f'{fr},{mol},' + ','.join(values[fr * len(mols) + m]) + '\n')
PY
}

# urea
run urea "$reference/urea/form-I-3456atoms.dump" lammps_sym_new "$reference/urea/INPUT_urea.dat" "$reference/urea/weight_urea.txt"
csv urea "$reference/urea/form-I-3456atoms.dump" 1 432 "$here/molsf-reference-urea-form-I.csv"

# nicotinamide: sym_type from element; the direct (defective) triclinic run and the orthogonalised one
python3 - "$reference/nicotinamide/nico_testtraj.dump" "$work/nico-tri.dump" "$work/nico-ortho.dump" <<'PY'
import sys, math
src, tri, ortho = sys.argv[1:]
sym = {10: 2, 9: 1, 3: 3, 6: 4}
lines = open(src).read().split('\n')
n = int(lines[3])
(xlob, xhib, xy), (ylob, yhib, xz), (zlob, zhib, yz) = [tuple(map(float, lines[5 + k].split())) for k in range(3)]
# LAMMPS bounding box -> restricted triclinic cell: a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz)
xlo = xlob - min(0.0, xy, xz, xy + xz); xhi = xhib - max(0.0, xy, xz, xy + xz)
ylo = ylob - min(0.0, yz); yhi = yhib - max(0.0, yz)
lx, ly, lz = xhi - xlo, yhi - ylo, zhib - zlob
A, B, C = (lx, 0.0, 0.0), (xy, ly, 0.0), (xz, yz, lz)
atoms = sorted(([int(w[0]), int(w[1]), int(w[2]), float(w[3]), float(w[4]), float(w[5])] for w in (l.split() for l in lines[9:9 + n])), key=lambda a: a[0])
with open(tri, 'w') as f:
    f.write('\n'.join(lines[:8]) + '\nITEM: ATOMS id mol element sym_type x y z\n')
    for a in atoms: f.write(f'{a[0]} {a[1]} {a[2]} {sym.get(a[2], 0)} {a[3]} {a[4]} {a[5]}\n')
def frac(d):  # fractional coordinates of a displacement (upper-triangular cell)
    sc = d[2] / lz; sb = (d[1] - sc * yz) / ly; sa = (d[0] - sb * xy - sc * xz) / lx
    return sa, sb, sc
def cart(s): return tuple(s[0] * A[k] + s[1] * B[k] + s[2] * C[k] for k in range(3))
# whole molecules: every atom at the image nearest to its molecule's first atom
first, whole = {}, []
for a in atoms:
    ref = first.setdefault(a[1], a)
    s = frac([a[3 + k] - ref[3 + k] for k in range(3)])
    d = cart([x - round(x) for x in s])
    whole.append(a[:3] + [ref[3 + k] + d[k] for k in range(3)])
mols = sorted(first)
center = {a[1]: a[3:] for a in whole if a[2] == 10}
images = [(0, 0, 0)] + [(i, j, k) for i in (-1, 0, 1) for j in (-1, 0, 1) for k in (-1, 0, 1) if (i, j, k) != (0, 0, 0)]
keep = []  # (image index, shift) of every image molecule within 10 A of an original center
for m in mols:
    for g, img in enumerate(images):
        sh = cart(img)
        p = [center[m][k] + sh[k] for k in range(3)]
        if g == 0 or any(math.dist(p, center[o]) < 10.0 for o in mols): keep.append((g, m, sh))
with open(ortho, 'w') as f:
    f.write(f'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{sum(15 for _ in keep)}\nITEM: BOX BOUNDS pp pp pp\n-300 300\n-300 300\n-300 300\nITEM: ATOMS id mol element sym_type x y z\n')
    rows = []
    for g, m, sh in keep:
        for a in whole:
            if a[1] == m: rows.append((g * 100000 + a[0], g * 1000 + m, a[2], sym.get(a[2], 0), *[a[3 + k] + sh[k] for k in range(3)]))
    # the reference indexes its atom array by id - 1: ids must be 1..N (original molecules first, in their order)
    mol_ids = {}
    for k, r in enumerate(sorted(rows)):
        mol = mol_ids.setdefault(r[1], len(mol_ids) + 1)
        f.write(f'{k + 1} {mol} {r[2]} {r[3]} {r[4]:.10f} {r[5]:.10f} {r[6]:.10f}\n')
PY
run nico-tri "$work/nico-tri.dump" lammps_sym_new_tri "$reference/nicotinamide/INPUT_nico_crystal.dat" "$reference/nicotinamide/weight_nicotinamide.txt"
csv nico-tri "$work/nico-tri.dump" 2 80 "$here/molsf-reference-nicotinamide-triclinic-defective.csv"
run nico-ortho "$work/nico-ortho.dump" lammps_sym_new "$reference/nicotinamide/INPUT_nico_crystal.dat" "$reference/nicotinamide/weight_nicotinamide.txt" orthogonal
csv nico-ortho "$work/nico-ortho.dump" 2 80 "$here/molsf-reference-nicotinamide-orthogonalised.csv"
wc -l "$here"/molsf-reference-*.csv
