#!/usr/bin/env bash
# Writes real LAMMPS text dumps for the benchmarks into $1 (default bench/.data):
#   lj108k-xyz-{5,10,20}.dump     108000-atom fcc LJ liquid, columns "id type x y z", first 5/10/20 frames
#   lj108k-scaled-10.dump         same run, columns "id type xs ys zs ix iy iz", 10 frames
#   lj4k-xyz-60.dump              4000 atoms, 60 frames (source frames for tail-latency)
set -euo pipefail
out=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.data"}
mkdir -p "$out"
command -v lmp >/dev/null || { echo "make-lammps.sh: 'lmp' not found (apt-get install -y lammps)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the start of an fcc Lennard-Jones input with N^3 unit cells (4 N^3 atoms)
lj_fcc() {
  cat <<LMP
units lj
atom_style atomic
lattice fcc 0.8442
region box block 0 $1 0 $1 0 $1
create_box 1 box
create_atoms 1 box
mass 1 1.0
velocity all create 1.44 87287 loop geom
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
neighbor 0.3 bin
LMP
}

# first N frames of a dump (a frame starts at "ITEM: TIMESTEP")
first_frames() { awk -v n="$2" '/^ITEM: TIMESTEP/{f++} f>n{exit} {print}' "$1"; }

if [[ ! -s $out/lj108k-xyz-20.dump || ! -s $out/lj108k-scaled-10.dump ]]; then
  { lj_fcc 30; cat <<'LMP'
neigh_modify delay 0 every 20 check no
fix 1 all nve
run 20 post no
dump d1 all custom 20 big-xyz.dump id type x y z
dump d2 all custom 20 big-scaled.dump id type xs ys zs ix iy iz
dump_modify d1 sort id
dump_modify d2 sort id
run 380
LMP
  } > "$work/in.big"
  echo "make-lammps.sh: running lmp (108000 atoms, 400 steps; under a minute on 2 cores)" >&2
  (cd "$work" && lmp -in in.big -log none -screen none)
  for n in 5 10 20; do first_frames "$work/big-xyz.dump" $n > "$out/lj108k-xyz-$n.dump.tmp" && mv "$out/lj108k-xyz-$n.dump.tmp" "$out/lj108k-xyz-$n.dump"; done
  first_frames "$work/big-scaled.dump" 10 > "$out/lj108k-scaled-10.dump.tmp" && mv "$out/lj108k-scaled-10.dump.tmp" "$out/lj108k-scaled-10.dump"
fi

if [[ ! -s $out/lj4k-xyz-60.dump ]]; then
  { lj_fcc 10; cat <<'LMP'
fix 1 all nve
run 10 post no
dump d1 all custom 10 small.dump id type x y z
dump_modify d1 sort id
run 590
LMP
  } > "$work/in.small"
  (cd "$work" && lmp -in in.small -log none -screen none)
  mv "$work/small.dump" "$out/lj4k-xyz-60.dump"
fi
ls -l "$out"/*.dump >&2
