#!/usr/bin/env bash
# The whole-process cases: the streammonitor command line, as a user runs it, against its peer on the same input, each
# writing the same output to a file; timed from outside (start-up, JIT, reading, computing, writing), alternating
# ours/peer, medians of the rounds. Usage: bench/whole-process.sh [--rounds N] [--list] [case...]   (normally through
# ./bench/run.sh, which builds src/Cli first). Prints "NAME ratio=X" (peer seconds / our seconds; > 1: we are faster).
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
data=${STREAMMONITOR_BENCH_DATA:-$bench/.data}
cli="$repo/src/Cli/bin/Release/net10.0/streammonitor.dll"
rounds=5
all=(cli-frames cli-steinhardt-1core)
describe() {
  case $1 in
    cli-frames) echo "streammonitor frames on the 108000-atom x 10-frame dump, whole process, vs an MDAnalysis script printing the same lines" ;;
    cli-steinhardt-1core) echo "streammonitor descriptors --kind steinhardt (q4,q6, 12 nearest within 1.5) to a CSV on one core, whole process, vs lmp rerun + dump custom" ;;
  esac
}

names=()
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --list) for c in "${all[@]}"; do printf '%-22s %s\n' "$c" "$(describe "$c")"; done; exit 0 ;;
    *) names+=("$1"); shift ;;
  esac
done
((${#names[@]})) || names=("${all[@]}")

now() { date +%s.%N; }
# seconds of one whole run of "$@" (its output already redirected by the caller's sh -c)
seconds() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }; echo "$(now) - $t0" | bc -l; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.2f-%.2f s", lo, hi}'; }
fmt() { printf '%.2f' "$1"; }

# Alternates ours/peer (one untimed warm-up each: page cache), fills the arrays ours_s and peer_s.
compare() {
  local ours=$1 peer=$2 r
  bash -c "$ours" >/dev/null 2>&1 || true
  bash -c "$peer" >/dev/null 2>&1 || true
  ours_s=() peer_s=()
  for ((r = 0; r < rounds; r++)); do
    ours_s+=("$(seconds bash -c "$ours")")
    peer_s+=("$(seconds bash -c "$peer")")
  done
}

report() { # NAME OURS_LINE PEER_LINE INPUT_LINE
  local o p
  o=$(median "${ours_s[@]}") p=$(median "${peer_s[@]}")
  echo "$1 ratio=$(fmt "$(echo "$p / $o" | bc -l)")"
  echo "  ours $(fmt "$o") s: $2"
  echo "  peer $(fmt "$p") s: $3"
  echo "  input $4; medians of $rounds alternating rounds (ours $(spread "${ours_s[@]}"), peer $(spread "${peer_s[@]}")); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

input() {
  [[ -s $data/lj108k-xyz-10.dump ]] || "$bench/data/make-lammps.sh" "$data" >&2
  echo "$data/lj108k-xyz-10.dump"
}

cli_frames() {
  /usr/bin/python3 -W ignore -c 'import MDAnalysis' 2>/dev/null || { echo "cli-frames skipped: MDAnalysis for /usr/bin/python3 (apt-get install -y python3-mdanalysis)"; return 0; }
  local dump work
  dump=$(input) work=$(mktemp -d)
  compare "exec dotnet '$cli' frames '$dump' > '$work/ours.txt'" \
          "exec /usr/bin/python3 -W ignore '$bench/peers/frames_text.py' '$dump' > '$work/peer.txt'"
  report cli-frames \
    "dotnet streammonitor.dll frames DUMP > FILE: start-up, reading and parsing every frame (positions included), one line per frame" \
    "/usr/bin/python3 bench/peers/frames_text.py DUMP > FILE: interpreter start, MDAnalysis import, Universe(DUMP, format='LAMMPSDUMP'), every frame's positions, the same lines" \
    "$(basename "$dump") ($(du -m "$dump" | cut -f1) MB, $(grep -c '^ITEM: TIMESTEP' "$dump") frames)"
  cmp -s "$work/ours.txt" "$work/peer.txt" || echo "  WARNING: the two outputs differ ($(diff "$work/ours.txt" "$work/peer.txt" | grep -c '^<') lines)"
  rm -rf "$work"
}

cli_steinhardt() {
  command -v lmp >/dev/null || { echo "cli-steinhardt-1core skipped: lmp (apt-get install -y lammps)"; return 0; }
  command -v taskset >/dev/null || { echo "cli-steinhardt-1core skipped: taskset (util-linux)"; return 0; }
  local dump work
  dump=$(input) work=$(mktemp -d)
  cat > "$work/in.rerun" <<LMP
# q4/q6 of the 12 nearest neighbours within 1.5 of every atom of every frame of a dump, per atom to a file
units lj
atom_style atomic
region box block 0 1 0 1 0 1
create_box 1 box
mass 1 1.0
pair_style zero 1.5
pair_coeff * *
compute q all orientorder/atom degrees 2 4 6 nnn 12 cutoff 1.5
dump d all custom 1 $work/peer.dump id c_q[1] c_q[2]
thermo 1000000
rerun $dump dump x y z box yes add yes
LMP
  compare "exec taskset -c 0 dotnet '$cli' descriptors '$dump' --kind steinhardt --l 4,6 --nnn 12 --cutoff 1.5 --out '$work/ours.csv'" \
          "cd '$work' && OMP_NUM_THREADS=1 exec taskset -c 0 lmp -in in.rerun -log none -screen none"
  report cli-steinhardt-1core \
    "taskset -c 0 dotnet streammonitor.dll descriptors DUMP --kind steinhardt --l 4,6 --nnn 12 --cutoff 1.5 --out FILE: start-up, parsing, cell-list 12 nearest, q4/q6, CSV frame,id,q4,q6 (shortest round-trip digits)" \
    "taskset -c 0 lmp (serial, OMP_NUM_THREADS=1) rerun of DUMP with compute orientorder/atom degrees 2 4 6 nnn 12 cutoff 1.5 and dump custom id c_q[1] c_q[2] (%g, 6 digits): start-up, parsing, binned neighbour list, compute, dump" \
    "$(basename "$dump") ($(du -m "$dump" | cut -f1) MB, $(grep -c '^ITEM: TIMESTEP' "$dump") frames)"
  # Both sides computed the same: per-atom values agree to LAMMPS' printed 6 digits, except near-ties of the 12th neighbour.
  awk -F'[ ,]' '
    FNR == 1 { file++ }
    file == 1 && /^ITEM: TIMESTEP/ { frame++; atoms = 0; next }
    file == 1 && /^ITEM: ATOMS/ { atoms = 1; next }
    file == 1 && /^ITEM:/ { atoms = 0; next }
    file == 1 && atoms { q4[frame - 1 "," $1] = $2; q6[frame - 1 "," $1] = $3; next }
    file == 2 && FNR > 1 { n++; k = $1 "," $2; if (!(k in q4)) { missing++; next }
      d4 = q4[k] - $3; d6 = q6[k] - $4; if (d4 < 0) d4 = -d4; if (d6 < 0) d6 = -d6
      if (d4 > 1e-5 || d6 > 1e-5) off++ }
    END { printf "  check: %d atom-frames, %d differ from LAMMPS by more than 1e-5, %d missing\n", n, off, missing
          if (n == 0 || missing > 0 || off > n / 100) print "  WARNING: the two sides did not compute the same values" }
  ' "$work/peer.dump" "$work/ours.csv"
  rm -rf "$work"
}

for name in "${names[@]}"; do
  case $name in
    cli-frames) cli_frames ;;
    cli-steinhardt-1core) cli_steinhardt ;;
    *) echo "unknown case '$name'; known: ${all[*]}" >&2; exit 2 ;;
  esac
done
