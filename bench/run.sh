#!/usr/bin/env bash
# Runs the StreamMonitor benchmarks against their peers and prints one "NAME ratio=X" (or "NAME key=value") line per
# case plus short human lines. Usage: ./bench/run.sh [--rounds N] [--seconds S] [--runs N,N,...] [--list] [name...]   (no names: every case)
# Needs: dotnet (SDK 10), lmp (lammps), gmx (gromacs), /usr/bin/python3 with MDAnalysis (python3-mdanalysis).
# Inputs are generated once into bench/.data (override with STREAMMONITOR_BENCH_DATA) and reused.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

missing=()
command -v dotnet >/dev/null || { echo "bench: 'dotnet' not found; install the .NET 10 SDK" >&2; exit 2; }
command -v lmp >/dev/null || missing+=("lmp (apt-get install -y lammps)")
command -v gmx >/dev/null || missing+=("gmx (apt-get install -y gromacs)")
/usr/bin/python3 -W ignore -c 'import MDAnalysis' 2>/dev/null || missing+=("MDAnalysis for /usr/bin/python3 (apt-get install -y python3-mdanalysis)")
if ((${#missing[@]})); then
  printf 'bench: missing %s; cases that need it will be skipped\n' "${missing[@]}" >&2
fi

echo "[bench] building bench/StreamMonitor.Bench (Release)" >&2
if ! build_log=$(dotnet build "$bench/StreamMonitor.Bench/StreamMonitor.Bench.csproj" -c Release -nologo -v q 2>&1); then
  echo "$build_log" | grep -E 'error|Error' | sort -u | head -40 >&2
  echo "bench: build failed" >&2
  exit 1
fi

export STREAMMONITOR_BENCH_DIR="$bench"
exec dotnet "$bench/StreamMonitor.Bench/bin/Release/net10.0/StreamMonitor.Bench.dll" "$@"
