#!/usr/bin/env bash
# Rebuilds the shipped Lennard-Jones model, models/lj.model.json, from scratch: LAMMPS runs (make-dataset.sh),
# features (streammonitor dataset; the oracle runs labelled by the cna-quench oracle), training (streammonitor train,
# seed 1) and the held-out evaluations printed at the end: the test temperatures never seen in training, and the
# agreement with the cna-quench oracle on the held-out crystallization and transformation runs (test-oracle.tsv).
#   models/lj/train.sh [WORKDIR]     (default models/lj/.work)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${1:-$here/.work}
classes=fcc,hcp,bcc,ico,liquid
# What live summaries count as crystalline; ico (icosahedral motifs) is neither crystal nor liquid.
roles=fcc=crystal,hcp=crystal,bcc=crystal,liquid=liquid,ico=other
dotnet build "$here/../../src/Cli" -c Release -v q -nologo >/dev/null
sm() { dotnet "$here/../../src/Cli/bin/Release/net10.0/streammonitor.dll" "$@"; }

"$here/make-dataset.sh" "$work"
sm dataset --manifest "$work/train.tsv" --features lj --classes "$classes" --out "$work/train.smds"
sm dataset --manifest "$work/test.tsv" --features lj --classes "$classes" --out "$work/test.smds"
sm train "$work/train.smds" --out "$here/../lj.model.json" --name lj --seed 1 --roles "$roles" \
  --description "single-component Lennard-Jones local structure (fcc, hcp, bcc, ico, liquid) from averaged Steinhardt q/w and coordination within 1.5 sigma; trained on LAMMPS runs made by models/lj/make-dataset.sh"
sm evaluate "$work/test.smds" --model "$here/../lj.model.json"
# The held-out oracle runs: every frame of each, its atoms labelled fcc/hcp/bcc by the oracle scored together.
mapfile -t held_out < <(awk -F'\t' '!/^#/ && NF >= 2 { print dir "/" $2 }' dir="$work" "$work/test-oracle.tsv")
sm evaluate "${held_out[@]}" --model "$here/../lj.model.json" --oracle cna-quench
