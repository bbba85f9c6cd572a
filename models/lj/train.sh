#!/usr/bin/env bash
# Rebuilds the shipped Lennard-Jones model, models/lj.model.json, from scratch: LAMMPS runs (make-dataset.sh),
# features (streammonitor dataset), training (streammonitor train, seed 1) and the held-out evaluations printed at the
# end: the test temperatures never seen in training, and the agreement with the cna-quench oracle on the held-out
# crystallization and transformation runs (test-oracle.tsv).
#   models/lj/train.sh [--oracle-runs] [--oracle-weight N] [--out FILE] [WORKDIR]     (WORKDIR default models/lj/.work)
#   --oracle-runs  also train on the crystallization and transformation runs labelled by the cna-quench oracle
#                  (train-oracle.tsv); the shipped model is trained without them (see README.md).
#   --oracle-weight N  with --oracle-runs: each oracle run counts N times (default 1); they give far fewer rows than
#                  the perfect lattices (about 3700 of 49000).
#   --out FILE     write the model there instead of models/lj.model.json.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
oracle_runs=0
oracle_weight=1
model=$here/../lj.model.json
work=""
while (($#)); do
  case "$1" in
    --oracle-runs) oracle_runs=1 ;;
    --oracle-weight) oracle_weight=${2:?--oracle-weight needs a count}; shift ;;
    --out) model=${2:?--out needs a file}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "train.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) work=$1 ;;
  esac
  shift
done
work=${work:-$here/.work}
classes=fcc,hcp,bcc,ico,liquid
# What live summaries count as crystalline; ico (icosahedral motifs) is neither crystal nor liquid.
roles=fcc=crystal,hcp=crystal,bcc=crystal,liquid=liquid,ico=other
dotnet build "$here/../../src/Cli" -c Release -v q -nologo >/dev/null
sm() { dotnet "$here/../../src/Cli/bin/Release/net10.0/streammonitor.dll" "$@"; }

"$here/make-dataset.sh" "$work"
training=$work/train.tsv
if ((oracle_runs)); then
  training=$work/train-with-oracle.tsv
  # Paths are relative to the same folder; a run listed N times gives its rows N times.
  { cat "$work/train.tsv"; for ((i = 0; i < oracle_weight; i++)); do cat "$work/train-oracle.tsv"; done; } >"$training"
fi
sm dataset --manifest "$training" --features lj --classes "$classes" --out "$work/train.smds"
sm dataset --manifest "$work/test.tsv" --features lj --classes "$classes" --out "$work/test.smds"
sm train "$work/train.smds" --out "$model" --name lj --seed 1 --roles "$roles" \
  --description "single-component Lennard-Jones local structure (fcc, hcp, bcc, ico, liquid) from averaged Steinhardt q/w and coordination within 1.5 sigma; trained on LAMMPS runs made by models/lj/make-dataset.sh"
sm evaluate "$work/test.smds" --model "$model"
# The held-out oracle runs: every frame of each, its atoms labelled fcc/hcp/bcc by the oracle scored together.
mapfile -t held_out < <(awk -F'\t' '!/^#/ && NF >= 2 { print dir "/" $2 }' dir="$work" "$work/test-oracle.tsv")
sm evaluate "${held_out[@]}" --model "$model" --oracle cna-quench
