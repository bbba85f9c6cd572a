#!/usr/bin/env bash
# Writes the inputs of the live-pipeline benchmarks into $1 (default bench/.data), both with the shipped example
# examples/lj-crystallization/in.lj-quench (an fcc LJ box melted around a crystal seed slab, then quenched):
#   lj11k-quench-24.dump   cells=14: 10976 atoms, 24 frames 100 steps apart (source frames for live-latency)
#   lj1m-quench-4.dump     cells=63: 1000188 atoms, 4 frames 20 steps apart, ~130 MB (live-throughput); a short melt
#                          (100 steps) keeps the run to a few minutes on 2 cores, so the liquid is still disordered
#                          near-lattice: fine for timing, not for physics
set -euo pipefail
out=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.data"}
mkdir -p "$out"
command -v lmp >/dev/null || { echo "make-live.sh: 'lmp' not found (apt-get install -y lammps)" >&2; exit 2; }
example=$(cd "$(dirname "$0")/../../examples/lj-crystallization" && pwd)/in.lj-quench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# quench NAME CELLS MELT_STEPS DUMP_EVERY FRAMES: runs the example in a scratch folder (its halt file lives there)
quench() {
  local name=$1 cells=$2 melt=$3 every=$4 frames=$5
  [[ -s $out/$name ]] && return
  echo "make-live.sh: running lmp for $name ($((4 * cells ** 3)) atoms, $melt + $((every * (frames - 1))) steps)" >&2
  (cd "$work" && lmp -in "$example" -var cells "$cells" -var melt_steps "$melt" -var dump_every "$every" \
    -var run_steps $((every * (frames - 1))) -var dump "$name" -var halt "$work/no-halt" -log none -screen none)
  mv "$work/$name" "$out/$name"
}

quench lj11k-quench-24.dump 14 3000 100 24
quench lj1m-quench-4.dump 63 100 20 4
ls -l "$out"/lj11k-quench-24.dump "$out"/lj1m-quench-4.dump >&2
