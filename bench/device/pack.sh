#!/usr/bin/env bash
# Packs what bench cases need on a machine that has an NVIDIA GPU but no .NET, no lmp, no redis-server and no network
# (such as the project's lent device machines) into bench/device/.pack/bench.tar.xz, for bench/device/check.sh to run
# there. Run it here; it builds the bench and makes the inputs first if they are missing.
#
#   ./bench/device/pack.sh [CASE...]     CASE: gpu-atomic-features, silo-scaleout (default: both)
#
#   dotnet/   the installed .NET host and the two shared frameworks the bench runs on, less the debugger's and the
#             alternative GCs' libraries (createdump, libmscordbi, libmscordaccore, libclrgc*)
#   app/      the bench's Release build: linux-x64 natives only, without libtorch (these cases use the CPU code and
#             ILGPU, never TorchSharp), symbols and satellite resources; the shipped models beside it
#   data/     gpu-atomic-features: lj1m-quench-4.dump, the LAST frame only of the 1000188-atom quench (what it reads)
#             silo-scaleout: lj11k-quench-24.dump, whole (what it replays)
#   redis/    silo-scaleout: this machine's redis-server and the libraries it links beyond glibc and libstdc++,
#             behind a wrapper that finds them
#   cases     the cases packed, which check.sh runs
#
# A device call carries at most 64 MiB with the repository: the script fails, saying so, when the archive would not
# fit beside the tree that travels; pack one case at a time then.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(dirname "$bench")
pack=$bench/device/.pack
known=(gpu-atomic-features silo-scaleout)
cases=("$@")
((${#cases[@]})) || cases=("${known[@]}")
for case in "${cases[@]}"; do
  [[ " ${known[*]} " == *" $case "* ]] || { echo "pack.sh: cannot pack '$case'; known: ${known[*]}" >&2; exit 2; }
done
wants() { [[ " ${cases[*]} " == *" $1 "* ]]; }

command -v dotnet >/dev/null || { echo "pack.sh: 'dotnet' not found; install the .NET 10 SDK" >&2; exit 2; }
command -v xz >/dev/null || { echo "pack.sh: 'xz' not found (apt-get install -y xz-utils)" >&2; exit 2; }
if wants silo-scaleout; then
  command -v redis-server >/dev/null || { echo "pack.sh: 'redis-server' not found (apt-get install -y redis-server)" >&2; exit 2; }
fi

echo "[pack] building the bench (Release)" >&2
dotnet build "$bench/StreamMonitor.Bench" -c Release -nologo -v q >/dev/null
build=$bench/StreamMonitor.Bench/bin/Release/net10.0
data=${STREAMMONITOR_BENCH_DATA:-$bench/.data}
if [[ ! -s $data/lj1m-quench-4.dump || ! -s $data/lj11k-quench-24.dump ]]; then
  echo "[pack] making the live inputs (once)" >&2
  bash "$bench/data/make-live.sh" "$data"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
printf '%s\n' "${cases[@]}" > "$stage/cases"

# .NET: the host and the frameworks the bench's runtimeconfig names, at the versions installed here.
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p "$stage/dotnet/shared"
cp -a "$root/dotnet" "$root/host" "$stage/dotnet/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  version=$(dotnet --list-runtimes | awk -v f="$framework" '$1 == f && $2 ~ /^10\./ { v = $2 } END { print v }')
  [[ -n $version ]] || { echo "pack.sh: no $framework 10.x runtime installed" >&2; exit 2; }
  mkdir -p "$stage/dotnet/shared/$framework"
  cp -a "$root/shared/$framework/$version" "$stage/dotnet/shared/$framework/"
done
rm -f "$stage"/dotnet/shared/Microsoft.NETCore.App/*/{createdump,libmscordbi.so,libmscordaccore.so,libclrgc.so,libclrgcexp.so}

cp -a "$build" "$stage/app"
find "$stage/app/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
find "$stage/app/runtimes/linux-x64/native" -type f \
  \( -name 'libtorch*' -o -name 'libc10*' -o -name 'libLibTorchSharp*' -o -name 'libgomp*' -o -name 'libshm*' \
     -o -name 'libaoti*' -o -name 'libbackend_with_compiler*' -o -name 'libjitbackend*' -o -name 'libnnapi*' \) -delete
find "$stage/app" -maxdepth 1 -name '*.pdb' -delete
find "$stage/app" -mindepth 2 -maxdepth 2 -name '*.resources.dll' -delete
find "$stage/app" -mindepth 1 -maxdepth 1 -type d -empty -delete
[[ -d $stage/app/models ]] || cp -a "$repo/models" "$stage/app/models" # found beside the program, as the CLI's build has them

mkdir -p "$stage/data"
if wants gpu-atomic-features; then
  last=$(grep -n -x 'ITEM: TIMESTEP' "$data/lj1m-quench-4.dump" | tail -1 | cut -d: -f1)
  tail -n +"$last" "$data/lj1m-quench-4.dump" > "$stage/data/lj1m-quench-4.dump"
fi
if wants silo-scaleout; then
  cp "$data/lj11k-quench-24.dump" "$stage/data/"
  mkdir -p "$stage/redis/lib"
  server=$(readlink -f "$(command -v redis-server)")
  cp "$server" "$stage/redis/lib/redis-server"
  ldd "$server" | awk '$3 ~ /^\// { print $3 }' | while read -r lib; do
    case $(basename "$lib") in
      libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | ld-linux* | libstdc++.so.* | libgcc_s.so.*) ;;
      *) cp -L "$lib" "$stage/redis/lib/" ;;
    esac
  done
  cat > "$stage/redis/redis-server" <<'EOF'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH=$here/lib exec "$here/lib/redis-server" "$@"
EOF
  chmod +x "$stage/redis/redis-server"
fi

mkdir -p "$pack"
rm -f "$pack/bench.tar.xz"
echo "[pack] compressing $(du -sh "$stage" | cut -f1) for ${cases[*]} (xz -9e: two or three minutes)" >&2
tar -C "$stage" -cf - . | xz -T0 -9e > "$pack/bench.tar.xz.part"
mv "$pack/bench.tar.xz.part" "$pack/bench.tar.xz"

# What travels besides: the tracked files and the untracked ones git does not ignore.
tree=$(cd "$repo" && { git ls-files -z; git ls-files -z --others --exclude-standard; } | xargs -0 -r stat -c %s -- 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
archive=$(stat -c %s "$pack/bench.tar.xz")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
echo "[pack] $pack/bench.tar.xz: $(mib "$archive") MiB; with the $(mib "$tree") MiB tree: $(mib $((archive + tree))) of 64 MiB" >&2
if ((archive + tree > 63 * 1048576)); then
  echo "pack.sh: the archive and the tree leave less than 1 MiB of a device call's 64: pack one case at a time" >&2
  exit 1
fi
