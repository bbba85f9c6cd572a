#!/usr/bin/env bash
# Runs the StreamMonitor benchmarks against their peers and prints one "NAME ratio=X" (or "NAME key=value") line per
# case plus short human lines. Usage: ./bench/run.sh [--rounds N] [--seconds S] [--runs N,N,...] [--silos N,N,...]
# [--cores-per-silo N] [--list] [name...]   (no names: every case)
# Needs: dotnet (SDK 10), lmp (lammps), gmx (gromacs), /usr/bin/python3 with MDAnalysis (python3-mdanalysis); silo-scaleout
# also redis-server.
# Inputs are generated once into bench/.data (override with STREAMMONITOR_BENCH_DATA) and reused.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

missing=()
command -v dotnet >/dev/null || { echo "bench: 'dotnet' not found; install the .NET 10 SDK" >&2; exit 2; }
command -v lmp >/dev/null || missing+=("lmp (apt-get install -y lammps)")
command -v gmx >/dev/null || missing+=("gmx (apt-get install -y gromacs)")
command -v redis-server >/dev/null || missing+=("redis-server (apt-get install -y redis-server)")
/usr/bin/python3 -W ignore -c 'import MDAnalysis' 2>/dev/null || missing+=("MDAnalysis for /usr/bin/python3 (apt-get install -y python3-mdanalysis)")
if ((${#missing[@]})); then
  printf 'bench: missing %s; cases that need it will be skipped\n' "${missing[@]}" >&2
fi

# The whole-process cases (cli-*) time the built streammonitor command from outside, start-up included
# (bench/whole-process.sh); the others run in the bench program. --rounds goes to both; with no names, both run every case.
options=() in_process=() whole=() list=0
while (($#)); do
  case $1 in
    --rounds | --seconds | --runs | --silos | --cores-per-silo) options+=("$1" "${2:-}"); shift 2 || shift ;;
    --list) list=1; shift ;;
    cli-*) whole+=("$1"); shift ;;
    *) [[ $1 == -* ]] && options+=("$1") || in_process+=("$1"); shift ;;
  esac
done
whole_options=()
for ((i = 0; i < ${#options[@]}; i++)); do [[ ${options[i]} == --rounds ]] && whole_options+=(--rounds "${options[i + 1]}"); done
everything=0
((${#in_process[@]} + ${#whole[@]})) || everything=1

build() { # PROJECT
  echo "[bench] building $1 (Release)" >&2
  if ! build_log=$(dotnet build "$1" -c Release -nologo -v q 2>&1); then
    echo "$build_log" | grep -E 'error|Error' | sort -u | head -40 >&2
    echo "bench: build failed" >&2
    exit 1
  fi
}

export STREAMMONITOR_BENCH_DIR="$bench"
status=0
if ((list || everything || ${#in_process[@]})); then
  build "$bench/StreamMonitor.Bench/StreamMonitor.Bench.csproj"
  program_args=("${options[@]}" "${in_process[@]}")
  ((list)) && program_args+=(--list)
  dotnet "$bench/StreamMonitor.Bench/bin/Release/net10.0/StreamMonitor.Bench.dll" "${program_args[@]}" || status=$?
fi
if ((list)); then
  "$bench/whole-process.sh" --list
elif ((everything || ${#whole[@]})); then
  build "$bench/../src/Cli/StreamMonitor.Cli.csproj"
  "$bench/whole-process.sh" "${whole_options[@]}" "${whole[@]}" || status=$?
fi
exit "$status"
