#!/usr/bin/env bash
# Writes the XTC files the tests read (tests/TestSupport/XtcFixtures.cs) into this folder, with the real GROMACS:
# SPC/E water in a 3 nm rhombic dodecahedron (one-water.gro solvated by gmx solvate; water.mdp: 200 steps, XTC every
# 20 steps at precision 1000), then copies of the run's full-precision .trr rewritten by gmx trjconv so that every
# decoding path of an XTC reader is exercised:
#   water.xtc         ~1900 atoms, 11 frames, precision 1000 (packed triples of at most 57 bits)
#   three-waters.xtc  the first 3 waters: 9 atoms, stored as plain floats
#   precision6.xtc    all atoms at precision 10^6 (packed triples of 65+ bits)
#   precision7.xtc    all atoms at precision 10^7 (coordinate ranges too wide to pack)
#   region6.xtc       the waters of a 1 nm cube at precision 10^6 (packed triples of 58-64 bits)
# The files are committed because Debian's gmx mdrun refuses to run on CPUs without the rdtscp instruction; rerun
# this only to change them (it needs gmx and a CPU with rdtscp), then run the Ingest and Cli XTC tests.
#   tests/Data/xtc/make-fixtures.sh [OUT_DIR]   (default: this folder)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
command -v gmx >/dev/null || { echo "make-fixtures.sh: 'gmx' not found (apt-get install -y gromacs)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export GMX_MAXBACKUP=-1

# gmx_quiet INPUT TOOL ARGS...: runs a gmx tool with INPUT on stdin (from a file: a tool that never reads it would
# break a pipe), showing its output only when it fails.
gmx_quiet() {
  printf '%s' "$1" >gmx.in
  shift
  gmx -quiet "$@" <gmx.in >gmx.log 2>&1 || { tail -40 gmx.log >&2; exit 1; }
}

gmx_quiet "" editconf -f "$here/one-water.gro" -o box.gro -bt dodecahedron -box 3
gmx_quiet "" solvate -cp box.gro -cs spc216.gro -o conf.gro
waters=$(awk 'NR > 2 && substr($0, 11, 5) ~ /^ *OW$/' conf.gro | wc -l)
cat > topol.top <<TOP
#include "oplsaa.ff/forcefield.itp"
#include "oplsaa.ff/spce.itp"

[ system ]
water

[ molecules ]
SOL $waters
TOP
gmx_quiet "" grompp -f "$here/water.mdp" -c conf.gro -p topol.top -o topol.tpr
gmx_quiet "" mdrun -nt 1 -s topol.tpr -x water.xtc -o traj.trr -c out.gro -e ener.edr -g md.log

# convert NAME SOURCE NDEC [SELECTION]: trjconv asks for the output group; 0 is the selection, or System without one.
convert() {
  local args=(trjconv -f "$2" -s topol.tpr -o "$1")
  if [ -n "${4:-}" ]; then
    gmx_quiet "" select -s topol.tpr -select "$4" -on "${1%.xtc}.ndx"
    args+=(-n "${1%.xtc}.ndx")
  fi
  [ -z "$3" ] || args+=(-ndec "$3")
  gmx_quiet $'0\n' "${args[@]}"
}
convert three-waters.xtc water.xtc "" "resnr 1 to 3"
convert precision6.xtc traj.trr 6
convert precision7.xtc traj.trr 7
convert region6.xtc traj.trr 6 "same residue as (x > 0.4 and x < 1.4 and y > 0.4 and y < 1.4 and z > 0.4 and z < 1.4)"

for f in water.xtc three-waters.xtc precision6.xtc precision7.xtc region6.xtc; do
  cp "$f" "$out/$f.tmp" && mv "$out/$f.tmp" "$out/$f"
done
ls -l "$out"/*.xtc >&2
