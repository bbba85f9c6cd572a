#!/usr/bin/env bash
# Converts the published symmetry-function networks of Kuroshima et al. (JCTC 2024; weights from the BSD-3-Clause
# repository rogalj/MolStrucClassifier, see LICENSE-MolStrucClassifier) into the shipped model files.
#   models/make-presets.sh [DIR-WITH-molstrucclassifier]   (default: data/ of this repository)
# The weight files do not name their classes. Urea: output 1 is form I (a form I crystal at 200 K gets it for 92-99%
# of molecules) and output 3 the melt (~75% of a 500 K melt); the rest are named by output number until known.
# Nicotinamide: output 10 is the crystal of the reference data (all 80 molecules). The roles say which classes live
# summaries count as crystalline: the known crystals; the unknown outputs are "other" until someone knows better.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${1:-$here/../data}/molstrucclassifier"
[[ -f "$data/urea/weight_urea.txt" ]] || { echo "make-presets.sh: $data/urea/weight_urea.txt not found; pass the folder holding molstrucclassifier/" >&2; exit 1; }
cli=(dotnet run --project "$here/../src/Cli" -c Release --)
source_note="Kuroshima, Kilgour, Tuckerman, Rogal, J. Chem. Theory Comput. 2024; weights from github.com/rogalj/MolStrucClassifier"
"${cli[@]}" import-weights "$data/urea/weight_urea.txt" --features molsf:urea --name urea-2024 \
  --classes I,out2,melt,out4,out5,out6,out7 --roles I=crystal,melt=liquid \
  --description "urea polymorphs and melt from molecular symmetry functions (24 -> 25 -> 25 -> 7, sigmoid outputs)" \
  --source "$source_note: molvec_lib weight_urea.txt" --license BSD-3-Clause --out "$here/urea-2024.model.json"
"${cli[@]}" import-weights "$data/nicotinamide/weight_nicotinamide.txt" --features molsf:nicotinamide --name nicotinamide-2024 \
  --classes out1,out2,out3,out4,out5,out6,out7,out8,out9,out10 --roles out10=crystal \
  --description "nicotinamide polymorphs from molecular symmetry functions (24 -> 25 -> 25 -> 10, softmax outputs)" \
  --source "$source_note: weight_nicotinamide.txt" --license BSD-3-Clause --out "$here/nicotinamide-2024.model.json"
