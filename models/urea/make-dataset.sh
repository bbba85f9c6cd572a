#!/usr/bin/env bash
# Builds a labelled urea data set for molecular structure classifiers from real LAMMPS runs of in.urea (the GAFF-type
# force field of the MolStrucClassifier reference data, see urea-data.py): form I at several temperatures, the melt,
# a slab with two free (001) faces and a nanocluster, whose surface molecules are labelled `surface` by the surface
# classifier of `streammonitor descriptors --kind surface` (fewer than 20 molecules within the largest molecular
# radius + 6 A, Kuroshima et al. 2024) and whose other molecules are labelled `I`. Writes one dump per run (columns
# id mol type element x y z; `type` is 2 for the atoms of surface molecules and 1 otherwise) and the manifests
# train.tsv and test.tsv of `streammonitor dataset` (label, path relative to the manifest, frames, types), with
# training and test runs at different temperatures and seeds.
#
# Usage: models/urea/make-dataset.sh [--quick] [--frames-factor N] [--extra-runs] [WORKDIR]
#   WORKDIR   where dumps/, logs/ and the manifests go (default models/urea/.work); what an earlier run left there is
#             deleted first.
#   --quick   the test runs only, short equilibration and one frame each: WORKDIR/test.tsv in about a minute on 2 cores.
#   --frames-factor N  N times the frames of every training run (default 1), for the graph network, which needs more
#             distinct environments than the symmetry-function MLP (the cluster runs hold the only surface molecules);
#             every run keeps its seed, so its first frames are those of the default data set.
#   --extra-runs  also the training runs marked train+ below (a second nanocluster, at 300 K, so that the held-out
#             250 K cluster lies between two training temperatures as the held-out crystals do); the shipped urea-lmp
#             is trained without them. The graph network's data set: --frames-factor 3 --extra-runs.
# Environment: LMP (default: mpirun -np 2 lmp -sf opt when mpirun is installed, else lmp -sf opt), STREAMMONITOR (the
# streammonitor command; default: builds src/Cli and runs it with dotnet), UREA_DATA (the folder with
# form-I-3456atoms.dump and urea.settings; default data/molstrucclassifier/urea).
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
quick=0
frames_factor=1
extra=0
work=""
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --frames-factor) frames_factor=${2:?--frames-factor needs a number}; shift ;;
    --frames-factor=*) frames_factor=${1#--frames-factor=} ;;
    --extra-runs) extra=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "make-dataset.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$work" ] || { echo "make-dataset.sh: more than one work directory given" >&2; exit 2; }; work=$1 ;;
  esac
  shift
done
[[ "$frames_factor" =~ ^[1-9][0-9]*$ ]] || { echo "make-dataset.sh: --frames-factor wants a positive integer, not '$frames_factor'" >&2; exit 2; }

script=make-dataset.sh
# shellcheck source=environment.sh
source "$here/environment.sh"

work=${work:-$here/.work}
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -rf "$work/dumps" "$work/logs" "$work/systems" "$work/train.tsv" "$work/test.tsv"
mkdir -p "$work/dumps" "$work/logs" "$work/systems"

# The systems (urea-data.py): the reference cell (432 molecules), a slab of 1 x 1 x 2 cells (864 molecules, 40 A of
# vacuum above it), and the 336 molecules within 18 A of the middle of a 2 x 2 x 2 supercell in a 66 A box.
python3 "$here/urea-data.py" "$urea" "$work/systems" --name crystal >/dev/null
python3 "$here/urea-data.py" "$urea" "$work/systems" --cells 1 1 2 --slab 40 --name slab >/dev/null
python3 "$here/urea-data.py" "$urea" "$work/systems" --cells 2 2 2 --cluster 18 --box 66 --name cluster >/dev/null

# split  kind     system   T    seed  settle frames every
# crystal: NVT in the reference cell (at 1 atm this force field's cell swings, see tests/.../Data/urea); melt: the
# crystal melted 10 ps at 800 K at its volume, then at T and 1 atm (iso); slab and cluster: NVT in their vacuum boxes;
# droplet: the cluster melted 10 ps at 800 K, then at T, NVT in its box (every molecule melt, the surface ones too).
# train+: a training run only with --extra-runs, last so that the rows before it are the default data set's.
runs=$(cat <<'EOF'
train crystal  crystal  150  101  3000 4 1000
test  crystal  crystal  200  102  3000 3 1000
train crystal  crystal  250  103  3000 4 1000
test  crystal  crystal  300  104  3000 3 1000
train crystal  crystal  350  105  3000 4 1000
train melt     crystal  450  201  5000 4 1000
test  melt     crystal  500  202  5000 3 1000
train melt     crystal  550  203  5000 4 1000
train slab     slab     200  301  3000 3 1000
test  slab     slab     250  302  3000 2 1000
train cluster  cluster  200  401  3000 3 1000
test  cluster  cluster  250  402  3000 2 1000
train droplet  cluster  450  501  3000 3 1000
test  droplet  cluster  500  502  3000 2 1000
train+ cluster cluster  300  403  3000 3 1000
EOF
)

manifest_lines=()
while read -r split kind system temp seed settle frames every; do
  [ -n "$split" ] || continue
  if [ "$split" = train+ ]; then ((extra)) || continue; split=train; fi
  if ((quick)); then
    [ "$split" = test ] || continue
    settle=500 frames=1
  fi
  [ "$split" = train ] && frames=$((frames * frames_factor))
  name=$split/$kind-T$temp
  mkdir -p "$work/logs/$name" "$(dirname "$work/dumps/$name")"
  hot=0 couple=none
  if [ "$kind" = melt ]; then hot=$( ((quick)) && echo 3000 || echo 10000 ); couple=iso; fi
  # A melted nanocluster (NVT in its vacuum box): its surface is liquid too, which the bulk melt cannot show.
  if [ "$kind" = droplet ]; then hot=$( ((quick)) && echo 3000 || echo 10000 ); fi
  start=$EPOCHREALTIME
  if ! (cd "$work/logs/$name" && $LMP -in "$here/in.urea" -var ureadir "$here" -var data "$work/systems/$system.data" \
      -var settings "$work/systems/urea.settings" -var T_hot 800 -var hot "$hot" -var T "$temp" -var settle "$settle" \
      -var frames "$frames" -var every "$every" -var couple "$couple" -var seed "$seed" -log log.lammps -screen none </dev/null); then
    echo "make-dataset.sh: LAMMPS failed for $name; the end of $work/logs/$name/log.lammps:" >&2
    tail -n 15 "$work/logs/$name/log.lammps" >&2
    exit 1
  fi
  dump=$work/dumps/$name.lammpstrj
  mv "$work/logs/$name/dump.lammpstrj" "$dump"
  case "$kind" in
    crystal) manifest_lines+=("$split	I	dumps/$name.lammpstrj	all	all") ;;
    melt|droplet) manifest_lines+=("$split	melt	dumps/$name.lammpstrj	all	all") ;;
    *)
      $STREAMMONITOR descriptors "$dump" --kind surface --preset urea --out "$work/logs/$name/surface.csv" </dev/null >/dev/null
      python3 "$here/mark-surface.py" "$dump" "$work/logs/$name/surface.csv" >/dev/null
      manifest_lines+=("$split	I	dumps/$name.lammpstrj	all	1" "$split	surface	dumps/$name.lammpstrj	all	2") ;;
  esac
  printf 'make-dataset.sh: %-5s %-7s T=%s K, %s frames (%.0f s)\n' "$split" "$kind" "$temp" "$frames" \
    "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')"
done <<<"$runs"

version=$(sed -n '1s/^LAMMPS (\(.*\))$/\1/p' "$(find "$work/logs" -name log.lammps | head -n 1)")
for split in train test; do
  ((quick)) && [ "$split" = train ] && continue
  {
    echo "# Urea structure classes ($split set$( ((quick)) && echo ", quick: one frame per run")), generated by models/urea/make-dataset.sh with LAMMPS $version."
    echo "# label<TAB>path (relative to this file)<TAB>frames<TAB>atom types carrying the label (slab, cluster: 1 inside, 2 surface)"
    for line in "${manifest_lines[@]}"; do
      [ "${line%%	*}" = "$split" ] && echo "${line#*	}"
    done
  } >"$work/$split.tsv"
  echo "make-dataset.sh: $work/$split.tsv"
done
