#!/usr/bin/env bash
# Builds the labelled Lennard-Jones data set for the atomic-structure classifier (classes fcc, hcp, bcc, ico,
# liquid) from real LAMMPS runs of in.lj-phase: one `dump custom` file (id type x y z) per run, and the
# manifests train.tsv and test.tsv (label, path relative to the manifest, frames, types). Training and test
# runs use disjoint temperatures (interleaved). Every frame is checked with the diagnostics that in.lj-phase
# logs (mean q6 and coordination within 1.5 sigma, common-neighbour analysis, ten Wolde solid bonds, number of
# clusters); a run keeps only its leading frames that pass, so a crystal that transforms or a supercooled
# liquid that starts to crystallize is cut at the first bad frame (and dropped if no frame passes).
#
# Usage: models/lj/make-dataset.sh [--quick] [--jobs N] [--frames-factor N] [WORKDIR]
#   WORKDIR   where dumps/, logs/ and the manifests train.tsv, test.tsv, train-oracle.tsv, test-oracle.tsv go (default models/lj/.work); the script first
#             deletes what an earlier run of it left there (dumps/, logs/, the manifests).
#   --quick   only the test temperatures, one frame per run: WORKDIR/test.tsv and its dumps, well under a minute.
#   --jobs N  LAMMPS runs at a time (default: the number of CPU cores); each run is serial.
#   --frames-factor N  N times the frames of every training lattice and liquid run (default 1), for networks that
#             need more distinct environments than the shipped MLP (the graph network: see the README); every run
#             keeps its seed, so its first frames are those of the default data set.
# Environment: LMP names the LAMMPS executable (default lmp).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
quick=0
jobs_max=$(nproc 2>/dev/null || echo 2)
frames_factor=1
work=""
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --jobs) jobs_max=${2:?--jobs needs a number}; shift ;;
    --jobs=*) jobs_max=${1#--jobs=} ;;
    --frames-factor) frames_factor=${2:?--frames-factor needs a number}; shift ;;
    --frames-factor=*) frames_factor=${1#--frames-factor=} ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "make-dataset.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$work" ] || { echo "make-dataset.sh: more than one work directory given" >&2; exit 2; }; work=$1 ;;
  esac
  shift
done
[[ "$jobs_max" =~ ^[1-9][0-9]*$ ]] || { echo "make-dataset.sh: --jobs wants a positive integer, not '$jobs_max'" >&2; exit 2; }
[[ "$frames_factor" =~ ^[1-9][0-9]*$ ]] || { echo "make-dataset.sh: --frames-factor wants a positive integer, not '$frames_factor'" >&2; exit 2; }
work=${work:-$here/.work}

lmp=${LMP:-lmp}
if ! command -v "$lmp" >/dev/null 2>&1; then
  echo "make-dataset.sh: the LAMMPS executable '$lmp' was not found." >&2
  echo "  Install LAMMPS (Debian/Ubuntu: apt-get install lammps) or set LMP=/path/to/lmp." >&2
  exit 1
fi
export OMP_NUM_THREADS=1

# ---- the runs ---------------------------------------------------------------------------------------------------
# split label structure rho(- for ico) T cells frames every extra(-var pairs, comma separated, or -)
# Crystals: perfect lattices at rho = 1.0 (fcc 500 atoms, hcp 512, bcc 686). fcc/hcp are stable up to T ~ 1.2 at
# this density (a seeded liquid at rho = 1.0 crystallizes at T = 1.1); bcc is only metastable and turns into a
# close-packed crystal within ~75 tau at T <= 0.65, so it is sampled at 0.70 <= T <= 1.10.
# Liquid: 500 atoms melted at T = 2.5, then held at T: rho = 0.9 (melts between T = 0.75 and 0.85, so T <= 0.75
# is supercooled) and rho = 1.0 (a crystal slab grows at T = 1.1 and melts at 1.5, so T <= 1.3 is supercooled).
# ico: 6 x 6 cluster sites per layer, 11 sigma apart; up to T = 0.16 four layers of LJ13 icosahedra and one of
# LJ55 Mackay icosahedra (180 labelled centres), from T = 0.19 LJ55 only (two layers, 72 centres): LJ13 starts
# to rearrange at T ~ 0.2-0.25, LJ55 stays icosahedral to T ~ 0.3.
# oracle: configurations that are not perfect lattices, labelled atom by atom by the cna-quench oracle of
# `streammonitor dataset` (only atoms it calls fcc, hcp or bcc unambiguously): a crystal slab (fcc or hcp) growing
# into the supercooled liquid at rho = 1.0, spontaneous crystallization (2048 atoms at rho = 1.05, T = 0.7, frames
# from 5000 steps on), a polycrystal growing from four fcc seeds in four orientations, and bcc that turned
# close-packed (T = 0.5 within 3000 steps, T = 0.6 after ~15000). Test runs use other seeds and temperatures.
# They are in the full set only (not --quick), in manifests of their own: train-oracle.tsv and the held-out
# test-oracle.tsv.
# Rows added later go at the end, because a run's seed follows from its row number and earlier runs keep theirs:
# fcc and hcp at rho = 1.05 and 0.95 (crystals grown from a liquid or made by a transformation are not at rho = 1.0:
# the spontaneous runs are at 1.05, the polycrystal, at T = 0.6-0.65, at 0.96), a seeded hcp slab at T = 0.80 and
# spontaneous crystallization at T = 0.65 (more of the kinds of oracle run that the model got most wrong).
runs=$(cat <<'EOF'
train fcc    fcc    1.0 0.10 5 3 1000 -
test  fcc    fcc    1.0 0.20 5 2 1000 -
train fcc    fcc    1.0 0.30 5 3 1000 -
test  fcc    fcc    1.0 0.40 5 2 1000 -
train fcc    fcc    1.0 0.50 5 3 1000 -
test  fcc    fcc    1.0 0.60 5 2 1000 -
train fcc    fcc    1.0 0.70 5 3 1000 -
test  fcc    fcc    1.0 0.80 5 2 1000 -
train fcc    fcc    1.0 0.90 5 3 1000 -
test  fcc    fcc    1.0 1.00 5 2 1000 -
train fcc    fcc    1.0 1.10 5 3 1000 -
train hcp    hcp    1.0 0.10 4 3 1000 -
test  hcp    hcp    1.0 0.20 4 2 1000 -
train hcp    hcp    1.0 0.30 4 3 1000 -
test  hcp    hcp    1.0 0.40 4 2 1000 -
train hcp    hcp    1.0 0.50 4 3 1000 -
test  hcp    hcp    1.0 0.60 4 2 1000 -
train hcp    hcp    1.0 0.70 4 3 1000 -
test  hcp    hcp    1.0 0.80 4 2 1000 -
train hcp    hcp    1.0 0.90 4 3 1000 -
test  hcp    hcp    1.0 1.00 4 2 1000 -
train hcp    hcp    1.0 1.10 4 3 1000 -
train bcc    bcc    1.0 0.70 7 3 1000 -
test  bcc    bcc    1.0 0.75 7 2 1000 -
train bcc    bcc    1.0 0.80 7 3 1000 -
test  bcc    bcc    1.0 0.85 7 2 1000 -
train bcc    bcc    1.0 0.90 7 3 1000 -
test  bcc    bcc    1.0 0.95 7 2 1000 -
train bcc    bcc    1.0 1.00 7 3 1000 -
test  bcc    bcc    1.0 1.05 7 2 1000 -
train bcc    bcc    1.0 1.10 7 3 1000 -
train liquid liquid 0.9 0.45 5 2 1000 -
test  liquid liquid 0.9 0.55 5 2 1000 -
train liquid liquid 0.9 0.65 5 2 1000 -
test  liquid liquid 0.9 0.75 5 2 1000 -
train liquid liquid 0.9 0.85 5 2 1000 -
test  liquid liquid 0.9 0.95 5 2 1000 -
train liquid liquid 0.9 1.05 5 2 1000 -
test  liquid liquid 0.9 1.40 5 2 1000 -
train liquid liquid 0.9 2.00 5 2 1000 -
train liquid liquid 1.0 0.80 5 2 1000 -
test  liquid liquid 1.0 0.90 5 2 1000 -
train liquid liquid 1.0 1.00 5 2 1000 -
test  liquid liquid 1.0 1.10 5 2 1000 -
train liquid liquid 1.0 1.20 5 2 1000 -
test  liquid liquid 1.0 1.30 5 2 1000 -
train liquid liquid 1.0 1.60 5 2 1000 -
train ico    ico    -   0.04 6 12 500 ico13=4,ico55=1
test  ico    ico    -   0.07 6 6  500 ico13=4,ico55=1
train ico    ico    -   0.10 6 12 500 ico13=4,ico55=1
test  ico    ico    -   0.13 6 6  500 ico13=4,ico55=1
train ico    ico    -   0.16 6 12 500 ico13=4,ico55=1
test  ico    ico    -   0.19 6 6  500 ico13=0,ico55=2
train ico    ico    -   0.22 6 12 500 ico13=0,ico55=2
test  ico    ico    -   0.25 6 6  500 ico13=0,ico55=2
train ico    ico    -   0.28 6 12 500 ico13=0,ico55=2
train oracle seeded 1.0  0.90 6 5 250  seedlat=fcc,equil=200
test  oracle seeded 1.0  0.95 6 4 250  seedlat=fcc,equil=200
train oracle seeded 1.0  1.00 5 5 250  seedlat=hcp,equil=200
test  oracle seeded 1.0  0.85 5 4 250  seedlat=hcp,equil=200
train oracle liquid 1.05 0.70 8 4 5000 equil=5000
test  oracle liquid 1.05 0.70 8 3 5000 equil=10000
train oracle poly   1.0  0.60 10 4 1000 seedr=4.0,equil=200
test  oracle poly   1.0  0.65 10 3 1000 seedr=4.0,equil=200
train oracle bcc    1.0  0.50 7 3 1000 equil=3000
test  oracle bcc    1.0  0.60 7 3 1000 equil=16000
train fcc    fcc    1.05 0.30 5 3 1000 -
test  fcc    fcc    1.05 0.50 5 2 1000 -
train fcc    fcc    1.05 0.70 5 3 1000 -
test  fcc    fcc    1.05 0.90 5 2 1000 -
train fcc    fcc    1.05 1.10 5 3 1000 -
train hcp    hcp    1.05 0.30 4 3 1000 -
test  hcp    hcp    1.05 0.50 4 2 1000 -
train hcp    hcp    1.05 0.70 4 3 1000 -
test  hcp    hcp    1.05 0.90 4 2 1000 -
train hcp    hcp    1.05 1.10 4 3 1000 -
train fcc    fcc    0.95 0.20 5 3 1000 -
test  fcc    fcc    0.95 0.40 5 2 1000 -
train fcc    fcc    0.95 0.60 5 3 1000 -
train hcp    hcp    0.95 0.20 4 3 1000 -
test  hcp    hcp    0.95 0.40 4 2 1000 -
train hcp    hcp    0.95 0.60 4 3 1000 -
train oracle seeded 1.0  0.80 5 5 250  seedlat=hcp,equil=200
train oracle liquid 1.05 0.65 8 4 5000 equil=5000
EOF
)
equil=2000        # steps at T before the first frame (liquids: after 2000 steps of melting at T = 2.5)
base_seed=20240   # run i uses seed base_seed + 10*i (fixed, so the data set is reproducible)

# ---- the per-frame check ----------------------------------------------------------------------------------------
# Reads a log of in.lj-phase and prints one line: "<accepted> <sampled> <mean q6> <coord> <fcc> <hcp> <bcc> <ico>
# <solid>" (means over the accepted frames). Columns of a sample row: step temp press pe q6 coord fcc hcp bcc ico
# solid nclus. Accepted = the leading frames that pass the check of the label:
#   fcc/hcp  solid >= 0.70, CNA fraction of the label >= 0.20, other crystal CNA fractions <= 0.05
#   bcc      solid >= 0.70, CNA bcc >= 0.05, CNA fcc + hcp <= 0.08 (LJ bcc turns close-packed when unstable)
#   liquid   solid <= 0.03 and CNA fcc + hcp + bcc <= 0.03 (nothing crystallizes)
#   ico      every centre has 12 neighbours within 1.5 sigma (coord >= 11.95), CNA ico >= 0.90, mean q6 >= 0.58,
#            and the box still holds exactly one cluster per centre (no evaporation, no merging)
#   oracle   every frame (the oracle labels atom by atom)
check_log() {
  awk -v label="$1" '
    /^SAMPLE / { on = 1; for (i = 1; i <= NF; i++) if ($i ~ /^nlab=/) nlab = substr($i, 6) + 0; next }
    on && /^Loop time/ { on = 0 }
    on && $1 ~ /^[0-9]+$/ && NF >= 12 {
      n++
      q6 = $5; c = $6; f = $7; h = $8; b = $9; ic = $10; s = $11; nc = $12
      if (label == "fcc")         ok = s >= 0.70 && f >= 0.20 && h + b <= 0.05
      else if (label == "hcp")    ok = s >= 0.70 && h >= 0.20 && f + b <= 0.05
      else if (label == "bcc")    ok = s >= 0.70 && b >= 0.05 && f + h <= 0.08
      else if (label == "liquid") ok = s <= 0.03 && f + h + b <= 0.03
      else if (label == "ico")    ok = c >= 11.95 && ic >= 0.90 && q6 >= 0.58 && nc == nlab
      else if (label == "oracle") ok = 1
      else ok = 0
      if (ok && !bad) { k++; Q += q6; C += c; F += f; H += h; B += b; I += ic; S += s } else bad = 1
    }
    END {
      d = (k > 0 ? k : 1)
      printf "%d %d %.3f %.2f %.2f %.2f %.2f %.2f %.2f\n", k, n, Q/d, C/d, F/d, H/d, B/d, I/d, S/d
    }' "$2"
}

# ---- work directory ---------------------------------------------------------------------------------------------
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -rf "$work/dumps" "$work/logs" "$work/train.tsv" "$work/train-oracle.tsv" "$work/test.tsv" "$work/test-oracle.tsv" "$work"/.*.tsv.tmp
mkdir -p "$work/dumps/test" "$work/logs/test" "$work/.status"
((quick)) || mkdir -p "$work/dumps/train" "$work/logs/train"
cp "$here/ico13.mol" "$here/mackay55.mol" "$work/logs/"   # the cluster templates of the ico runs
rm -f "$work/.status"/*

# Select the rows of this mode (index = row number in the full table, which fixes the seed).
sel=()
i=0
while read -r split label structure rho temp cells frames every extra; do
  [ -n "$split" ] || continue
  if ((quick)); then
    [ "$split" = test ] && [ "$label" != oracle ] || { i=$((i + 1)); continue; }
    frames=1
  fi
  if [ "$split" = train ]; then case "$label" in fcc|hcp|bcc|liquid) frames=$((frames * frames_factor)) ;; esac; fi
  sel+=("$i $split $label $structure $rho $temp $cells $frames $every $extra")
  i=$((i + 1))
done <<<"$runs"
total=${#sel[@]}

name_of() { # split label rho temp structure -> path stem relative to dumps/ and logs/ (rho - : no density, the ico clusters)
  if [ "$2" = oracle ]; then printf '%s/%s-%s-T%.2f-rho%.2f' "$1" "$2" "$5" "$4" "$3"; elif [ "$3" = - ]; then printf '%s/%s-T%.2f' "$1" "$2" "$4"; else printf '%s/%s-T%.2f-rho%.2f' "$1" "$2" "$4" "$3"; fi
}

run_one() { # k row...
  local k=$1 idx=$2 split=$3 label=$4 structure=$5 rho=$6 temp=$7 cells=$8 frames=$9 every=${10} extra=${11}
  local stem seed t0 t1 args=() pairs pair
  stem=$(name_of "$split" "$label" "$rho" "$temp" "$structure")
  seed=$((base_seed + 10 * idx))
  local run_equil=$equil
  [ "$rho" = - ] || args+=(-var rho "$rho")
  if [ "$extra" != - ]; then
    IFS=, read -ra pairs <<<"$extra"
    for pair in "${pairs[@]}"; do
      if [ "${pair%%=*}" = equil ]; then run_equil=${pair#*=}; else args+=(-var "${pair%%=*}" "${pair#*=}"); fi
    done
  fi
  t0=$EPOCHREALTIME
  # LAMMPS runs in the work directory with relative file names, so that paths with spaces do no harm.
  if ! (cd "$work" && "$lmp" -in "$here/in.lj-phase" -log "logs/$stem.log" -screen none -nocite \
      -var structure "$structure" -var temp "$temp" -var cells "$cells" \
      -var frames "$frames" -var every "$every" -var equil "$run_equil" -var seed "$seed" \
      -var ljdir logs -var dump "dumps/$stem.lammpstrj" "${args[@]}" >/dev/null 2>&1); then
    echo "make-dataset.sh: LAMMPS failed for $stem; the end of $work/logs/$stem.log:" >&2
    tail -n 15 "$work/logs/$stem.log" >&2 || true
    echo "failed" >"$work/.status/$k"
    return 1
  fi
  t1=$EPOCHREALTIME
  local stats natoms nlab nframes
  stats=$(check_log "$label" "$work/logs/$stem.log")
  natoms=$(sed -n 's/^SAMPLE .*natoms=\([0-9]*\).*/\1/p' "$work/logs/$stem.log")
  nlab=$(sed -n 's/^SAMPLE .*nlab=\([0-9]*\).*/\1/p' "$work/logs/$stem.log")
  nframes=$(grep -c '^ITEM: TIMESTEP' "$work/dumps/$stem.lammpstrj" || true)
  read -r acc sampled q6 coord f h b ic s <<<"$stats"
  if [ "$sampled" != "$frames" ] || [ "$nframes" != "$frames" ]; then
    echo "make-dataset.sh: $stem: expected $frames frames, the log has $sampled and the dump $nframes" >&2
    echo "failed" >"$work/.status/$k"
    return 1
  fi
  echo "ok $stem $acc $frames $natoms $nlab $seed $q6 $coord $f $h $b $ic $s" >"$work/.status/$k"
  local verdict="frames $acc/$frames ok"
  ((acc == frames)) || verdict="frames $acc/$frames ok (cut at the first bad frame)"
  ((acc > 0)) || verdict="DROPPED: no frame passes the $label check"
  printf '[%2d/%d] %-5s %-6s T=%.2f rho=%s N=%-4s %s  q6=%s coord=%s fcc=%s hcp=%s bcc=%s ico=%s solid=%s  (%.1f s)\n' \
    "$((k + 1))" "$total" "$split" "$label" "$temp" "$rho" "$natoms" "$verdict" "$q6" "$coord" "$f" "$h" "$b" "$ic" "$s" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}

pids=()
cleanup() { # our run_one subshells and the lmp each of them started
  local p
  for p in "${pids[@]}"; do
    pkill -TERM -P "$p" 2>/dev/null || true
    kill "$p" 2>/dev/null || true
  done
}
trap 'cleanup; exit 130' INT TERM

start=$EPOCHREALTIME
echo "make-dataset.sh: $total LAMMPS runs ($( ((quick)) && echo quick, test temperatures only || echo full)), $jobs_max at a time, into $work"
for k in "${!sel[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs_max)); do wait -n || true; done
  # shellcheck disable=SC2086
  run_one "$k" ${sel[$k]} &
  pids+=($!)
done
wait || true

failed=0
for k in "${!sel[@]}"; do
  if ! grep -q '^ok ' "$work/.status/$k" 2>/dev/null; then failed=$((failed + 1)); fi
done
if ((failed)); then
  echo "make-dataset.sh: $failed of $total runs failed; no manifest written" >&2
  exit 1
fi

# ---- manifests (in table order) ---------------------------------------------------------------------------------
read -r _ stem _ <"$work/.status/0"
version=$(sed -n '1s/^LAMMPS (\(.*\))$/\1/p' "$work/logs/$stem.log")
declare -A count=() dropped=()
for manifest in train train-oracle test test-oracle; do
  split=${manifest%-oracle}
  ((quick)) && [ "$manifest" != test ] && continue
  out="$work/.$manifest.tsv.tmp"
  {
    echo "# Lennard-Jones structure classes ($manifest set$( ((quick)) && echo ", quick: one frame per run")), generated by models/lj/make-dataset.sh with LAMMPS $version."
    echo "# label<TAB>path (relative to this file)<TAB>frames (0-based, end exclusive, or all)<TAB>atom types carrying the label"
    echo "# Each source line follows a comment with the run's state and its per-frame check averaged over the kept frames."
  } >"$out"
  for k in "${!sel[@]}"; do
    set -- ${sel[$k]}
    [ "$2" = "$split" ] || continue
    # train.tsv/test.tsv: the perfect lattices, liquids and clusters; train-oracle.tsv/test-oracle.tsv: the oracle runs.
    if [ "$manifest" = "$split" ]; then [ "$3" != oracle ] || continue; else [ "$3" = oracle ] || continue; fi
    label=$3 structure=$4 rho=$5 temp=$6 extra=${10}
    read -r _ stem acc frames natoms nlab seed q6 coord f h b ic s <"$work/.status/$k"
    if ((acc == 0)); then
      dropped[$split]=$((${dropped[$split]:-0} + 1))
      printf '# DROPPED %s T=%s rho=%s: no frame passed the check\n' "$label" "$temp" "$rho" >>"$out"
      continue
    fi
    frange=all
    ((acc == frames)) || frange="0:$acc"
    types=all
    [ "$label" = ico ] && types=2
    what="N=$natoms"
    [ "$label" = ico ] && what="N=$natoms labelled=$nlab ($extra)"
    [ "$label" = oracle ] && what="N=$natoms $structure ($extra)"
    printf '# %s T=%s rho=%s %s seed=%s frames=%s/%s q6=%s coord=%s cna fcc=%s hcp=%s bcc=%s ico=%s solid=%s\n' \
      "$label" "$temp" "$rho" "$what" "$seed" "$acc" "$frames" "$q6" "$coord" "$f" "$h" "$b" "$ic" "$s" >>"$out"
    source_label=$label
    [ "$label" = oracle ] && source_label=oracle:cna-quench
    printf '%s\t%s\t%s\t%s\n' "$source_label" "dumps/$stem.lammpstrj" "$frange" "$types" >>"$out"
    count[$split.$label]=$((${count[$split.$label]:-0} + acc * nlab))
  done
  mv "$out" "$work/$manifest.tsv"
done
rm -rf "$work/.status"

elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
for split in train test; do
  ((quick)) && [ "$split" = train ] && continue
  line="$split.tsv: labelled atoms (atoms x frames):"
  for label in fcc hcp bcc ico liquid; do line+=" $label ${count[$split.$label]:-0}"; done
  ((quick)) || line+="; atoms x frames for the oracle to label: ${count[$split.oracle]:-0}"
  [ -z "${dropped[$split]:-}" ] || line+="  (${dropped[$split]} runs dropped)"
  echo "$line"
done
echo "make-dataset.sh: done in ${elapsed} s; manifests in $work"
