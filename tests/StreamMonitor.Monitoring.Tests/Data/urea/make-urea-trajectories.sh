#!/usr/bin/env bash
# Makes the urea trajectories in this folder with LAMMPS, from the form I crystal of the MolStrucClassifier reference data
# (form-I-3456atoms.dump, 432 molecules; force field urea.settings of the same data; BSD-3-Clause, see
# models/LICENSE-MolStrucClassifier):
#   urea-form-I-200K.lammpstrj.gz  the crystal at 200 K in the reference cell (NVT): 3 ps to settle, then 5 frames
#                                  1 ps apart. (At 1 atm this force field shrinks the cell by 4% within 8 ps while the
#                                  pressure swings by 10^4 atm, and the form I share of the frames swings from 89 to 100%.)
#   urea-melt-500K.lammpstrj.gz    the crystal melted at 800 K for 12 ps at its own volume (NVT; at 500 K a perfect
#                                  periodic crystal superheats for longer than is worth waiting), then 15 ps at 500 K and
#                                  1 atm (NPT) to settle, then 5 frames 1 ps apart
# with models/urea (urea-data.py, in.urea, system.lmp), and prints the urea-2024 census of every frame, which tells
# whether the melt melted (form I gone, mostly melt or undefined). Positions are rounded to 0.001 A; the columns are those of the reference dump (id mol element sym_type x y z).
#
#   make-urea-trajectories.sh [UREA_DIR]
#
# UREA_DIR holds form-I-3456atoms.dump and urea.settings; default: the repository's data/molstrucclassifier/urea. LMP sets the LAMMPS command (default: mpirun -np 2 lmp -sf
# opt when mpirun is installed, else lmp -sf opt). 34 000 MD steps in all: about 5 minutes at the 120-150 steps/s of 2
# idle cores; the committed files took 3 minutes (crystal) and 43 minutes (melt) on a machine busy with other jobs.
# MD is not bit-reproducible across machines and process counts: a rerun gives other frames of the same states.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
urea=${1:-$root/data/molstrucclassifier/urea}
[[ -f "$urea/form-I-3456atoms.dump" && -f "$urea/urea.settings" ]] || { echo "make-urea-trajectories.sh: no form-I-3456atoms.dump and urea.settings in $urea" >&2; exit 1; }
if [[ -z "${LMP:-}" ]]; then
  if command -v mpirun >/dev/null; then LMP="mpirun -np 2 lmp -sf opt"; else LMP="lmp -sf opt"; fi
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

work=$(mktemp -d)
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT
ureadir=$root/models/urea
python3 "$ureadir/urea-data.py" "$urea" "$work"

# run NAME OUTPUT VARIABLES...: one LAMMPS run in its own folder, its dump turned into the fixture
run() {
  local name=$1 output=$2
  shift 2
  mkdir -p "$work/$name"
  echo "make-urea-trajectories.sh: $name ($*)" >&2
  (cd "$work/$name" && $LMP -in "$ureadir/in.urea" -var ureadir "$ureadir" -var data ../form-I.data -var settings ../urea.settings "$@" -log log.lammps >screen.txt) ||
    { tail -20 "$work/$name/screen.txt" >&2; exit 1; }
  python3 "$here/to-fixture.py" "$work/$name/dump.lammpstrj" "$here/$output"
}
run crystal urea-form-I-200K.lammpstrj.gz -var T_hot 0 -var hot 0 -var T 200 -var settle 3000 -var frames 5 -var every 1000 -var couple none -var seed 11
run melt urea-melt-500K.lammpstrj.gz -var T_hot 800 -var hot 12000 -var T 500 -var settle 15000 -var frames 5 -var every 1000 -var couple iso -var seed 7

for f in urea-form-I-200K urea-melt-500K; do
  echo "$f:"
  dotnet run --project "$root/src/Cli" -c Release -- classify "$here/$f.lammpstrj.gz" --model urea-2024 2>&1 >/dev/null | grep '^frame'
done
