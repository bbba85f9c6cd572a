#!/usr/bin/env bash
# Rebuilds models/urea-lmp.model.json from scratch: the LAMMPS runs of make-dataset.sh (form I, the melt, a slab and a
# nanocluster whose surface molecules are labelled `surface`), the urea molecular symmetry functions (the urea-2024
# features) of every molecule (streammonitor dataset), training (streammonitor train, seed 1) and the evaluation on
# the held-out runs (other temperatures and seeds).
#   models/urea/train.sh [--out FILE] [WORKDIR]     (WORKDIR default models/urea/.work; --out default models/urea-lmp.model.json)
#   --reuse   keep WORKDIR's runs (train.tsv, test.tsv and their dumps) instead of running LAMMPS again
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
model=$here/../urea-lmp.model.json
work=""
reuse=0
while (($#)); do
  case "$1" in
    --out) model=${2:?--out needs a file}; shift ;;
    --reuse) reuse=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "train.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) work=$1 ;;
  esac
  shift
done
work=${work:-$here/.work}
# What live summaries count as crystalline: form I, inside a crystal or on its surface; the melt is the liquid.
roles=I=crystal,surface=crystal,melt=liquid
dotnet build "$here/../../src/Cli" -c Release -v q -nologo >/dev/null
sm() { dotnet "$here/../../src/Cli/bin/Release/net10.0/streammonitor.dll" "$@"; }

((reuse)) || STREAMMONITOR="dotnet $here/../../src/Cli/bin/Release/net10.0/streammonitor.dll" "$here/make-dataset.sh" "$work"
sm dataset --manifest "$work/train.tsv" --features molsf:urea --out "$work/train.smds"
sm dataset --manifest "$work/test.tsv" --features molsf:urea --out "$work/test.smds"
sm train "$work/train.smds" --out "$model" --name urea-lmp --seed 1 --roles "$roles" \
  --description "urea molecular environments (form I, melt, form I surface) from the urea-2024 molecular symmetry functions; trained on LAMMPS runs made by models/urea/make-dataset.sh (GAFF-type force field of the MolStrucClassifier data)"
sm evaluate "$work/test.smds" --model "$model"
