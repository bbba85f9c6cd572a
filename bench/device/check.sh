#!/usr/bin/env bash
# Runs bench cases on a machine with no .NET, lmp or redis-server, from the archive bench/device/pack.sh made
# (bench/device/.pack/bench.tar.xz), and writes each case's output to $OUT (else bench/device/.out).
#
#   bash bench/device/check.sh            the cases packed: gpu-atomic-features (3 rounds), then silo-scaleout with 1, 2
#                                         and 4 silos of 2 cores each
#   bash bench/device/check.sh ARGS...    the bench with these arguments instead (e.g. --rounds 1 gpu-atomic-features)
#
# The runs share a time budget (STREAMMONITOR_CHECK_SECONDS, default 570: a device call runs for 600 s at most). The
# GPU case may take 240 s of it (without a GPU, ILGPU's CPU accelerator took 204 s on 2 cores); each run is stopped at
# the end of what is left, so one that hangs still leaves the other's figures and the logs in $OUT.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
archive=$here/.pack/bench.tar.xz
out=${OUT:-$here/.out}
mkdir -p "$out"
[[ -s $archive ]] || { echo "check.sh: $archive is missing: run bench/device/pack.sh and carry bench/device/.pack" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf "$archive" -C "$work" || { echo "check.sh: cannot unpack $archive" >&2; exit 2; }
export DOTNET_ROOT=$work/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PATH=$work/dotnet:$work/redis:$PATH
export STREAMMONITOR_BENCH_DIR=$(dirname "$here") STREAMMONITOR_BENCH_DATA=$work/data

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cores: $(nproc); memory: $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); kernel: $(uname -r)"
  echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | sed 's/^/gpu: /'
  ldconfig -p 2>/dev/null | grep -m1 'libcuda.so' | sed 's/^\s*/libcuda: /' || echo "libcuda: not in the linker cache"
  echo "packed: $(tr '\n' ' ' < "$work/cases")"
  echo "dotnet: $(dotnet --list-runtimes 2>&1 | tr '\n' ';')"
} | tee "$out/machine.txt"

bench() { # NAME SECONDS ARGS...: one bounded bench run, its output kept as $out/NAME.log
  local name=$1 seconds=$2 start=$SECONDS
  shift 2
  echo "== $name: StreamMonitor.Bench $*" | tee "$out/$name.log"
  timeout --kill-after=10 "$seconds" dotnet "$work/app/StreamMonitor.Bench.dll" "$@" < /dev/null 2>&1 | tee -a "$out/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "== $name: exit $rc after $((SECONDS - start)) s" | tee -a "$out/$name.log"
  return "$rc"
}

budget=${STREAMMONITOR_CHECK_SECONDS:-570}
left() { echo $((budget - SECONDS > 10 ? budget - SECONDS : 10)); }
if (($#)); then
  bench custom "$(left)" "$@"
  exit
fi
failed=0
mapfile -t packed < "$work/cases"
for case in "${packed[@]}"; do
  case $case in
    gpu-atomic-features) bench "$case" "$(($(left) < 240 ? $(left) : 240))" --rounds 3 gpu-atomic-features || failed=1 ;;
    silo-scaleout) bench "$case" "$(left)" --silos 1,2,4 --cores-per-silo 2 silo-scaleout || failed=1 ;;
    *) echo "check.sh: the archive names a case it does not know: $case" >&2; failed=1 ;;
  esac
done
exit "$failed"
