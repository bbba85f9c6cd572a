#!/usr/bin/env bash
# Rebuilds the shipped Lennard-Jones model, models/lj.model.json, from scratch: LAMMPS runs (make-dataset.sh),
# features (streammonitor dataset), training (streammonitor train, seed 1) and the held-out evaluations printed at the
# end: the test temperatures never seen in training, and the agreement with the cna-quench oracle on the held-out
# crystallization and transformation runs (test-oracle.tsv).
#   models/lj/train.sh [--oracle-weight N] [--out FILE] [WORKDIR]     (WORKDIR default models/lj/.work)
#   --oracle-weight N  each crystallization and transformation run labelled by the cna-quench oracle
#                  (train-oracle.tsv) counts N times in training (default 4: they give far fewer rows than the perfect
#                  lattices, about 4200 of 65000 rows); 0 trains on the perfect lattices, liquids and clusters only.
#   --out FILE     write the model there instead of models/lj.model.json.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
oracle_weight=4
model=$here/../lj.model.json
work=""
while (($#)); do
  case "$1" in
    --oracle-weight) oracle_weight=${2:?--oracle-weight needs a count}; shift ;;
    --out) model=${2:?--out needs a file}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "train.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) work=$1 ;;
  esac
  shift
done
[[ "$oracle_weight" =~ ^[0-9]+$ ]] || { echo "train.sh: --oracle-weight wants a count (0 or more), not '$oracle_weight'" >&2; exit 2; }
work=${work:-$here/.work}
classes=fcc,hcp,bcc,ico,liquid
# What live summaries count as crystalline; ico (icosahedral motifs) is neither crystal nor liquid.
roles=fcc=crystal,hcp=crystal,bcc=crystal,liquid=liquid,ico=other
dotnet build "$here/../../src/Cli" -c Release -v q -nologo >/dev/null
sm() { dotnet "$here/../../src/Cli/bin/Release/net10.0/streammonitor.dll" "$@"; }

"$here/make-dataset.sh" "$work"
training=$work/train-with-oracle.tsv
# Paths are relative to the same folder; a run listed N times gives its rows N times.
{ cat "$work/train.tsv"; for ((i = 0; i < oracle_weight; i++)); do cat "$work/train-oracle.tsv"; done; } >"$training"
sm dataset --manifest "$training" --features lj --classes "$classes" --out "$work/train.smds"
sm dataset --manifest "$work/test.tsv" --features lj --classes "$classes" --out "$work/test.smds"
sm train "$work/train.smds" --out "$model" --name lj --seed 1 --roles "$roles" \
  --description "single-component Lennard-Jones local structure (fcc, hcp, bcc, ico, liquid) from averaged Steinhardt q/w and coordination within 1.5 sigma; trained on LAMMPS runs made by models/lj/make-dataset.sh: perfect lattices, liquids and clusters, and crystallization runs labelled atom by atom by the cna-quench oracle"
sm evaluate "$work/test.smds" --model "$model"
# The held-out oracle runs: every frame of each, its atoms labelled fcc/hcp/bcc by the oracle scored together.
mapfile -t held_out < <(awk -F'\t' '!/^#/ && NF >= 2 { print dir "/" $2 }' dir="$work" "$work/test-oracle.tsv")
sm evaluate "${held_out[@]}" --model "$model" --oracle cna-quench
