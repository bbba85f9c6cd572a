#!/usr/bin/env bash
# Writes a real GROMACS XTC for the benchmarks into $1 (default bench/.data):
#   water100k.xtc   ~100k atoms of SPC/E water (10.2 nm box, gmx solvate), 51 frames written by gmx mdrun
#                   (nstxout-compressed = 5, compressed-x-precision = 1000)
set -euo pipefail
out=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.data"}
mkdir -p "$out"
[[ -s $out/water100k.xtc ]] && exit 0
command -v gmx >/dev/null || { echo "make-xtc.sh: 'gmx' not found (apt-get install -y gromacs)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export GMX_MAXBACKUP=-1
gmx -quiet solvate -cs spc216.gro -box 10.2 10.2 10.2 -o conf.gro >solvate.log 2>&1 || { cat solvate.log >&2; exit 1; }
nsol=$(( ($(sed -n 2p conf.gro) ) / 3 ))
cat > topol.top <<TOP
#include "oplsaa.ff/forcefield.itp"
#include "oplsaa.ff/spce.itp"

[ system ]
SPC/E water

[ molecules ]
SOL $nsol
TOP
cat > md.mdp <<'MDP'
integrator              = md
dt                      = 0.001
nsteps                  = 250
nstxout-compressed      = 5
compressed-x-precision  = 1000
nstlog                  = 100
nstenergy               = 100
cutoff-scheme           = Verlet
coulombtype             = reaction-field
rcoulomb                = 1.0
rvdw                    = 1.0
tcoupl                  = v-rescale
tc-grps                 = System
tau-t                   = 0.1
ref-t                   = 300
gen-vel                 = yes
gen-temp                = 300
MDP
gmx -quiet grompp -f md.mdp -c conf.gro -p topol.top -o md.tpr -maxwarn 5 >grompp.log 2>&1 || { cat grompp.log >&2; exit 1; }
echo "make-xtc.sh: running gmx mdrun ($((nsol * 3)) atoms, 250 steps)" >&2
gmx -quiet mdrun -nt 2 -s md.tpr -deffnm md >mdrun.log 2>&1 || { tail -30 mdrun.log >&2; exit 1; }
mv md.xtc "$out/water100k.xtc.tmp" && mv "$out/water100k.xtc.tmp" "$out/water100k.xtc"
ls -l "$out/water100k.xtc" >&2
