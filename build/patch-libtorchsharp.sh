#!/usr/bin/env bash
# Makes TorchSharp's native library load on systems whose libstdc++ predates GCC 13 (Debian 12).
# libLibTorchSharp.so needs one GCC 13 symbol, std::ios_base_library_init() (GLIBCXX_3.4.32). On such systems this
# script patches the copy in a build output directory: the symbol's version requirement is dropped and marked weak,
# and a tiny library that defines the function is added as a dependency found next to it ($ORIGIN).
# Usage: patch-libtorchsharp.sh NATIVE_DIR WORK_DIR. Does nothing where libstdc++ already has GLIBCXX_3.4.32.
set -euo pipefail
native=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
lib=$native/libLibTorchSharp.so
compat=libstreammonitor-stdcxx-compat.so
[ -f "$lib" ] || exit 0

libstdcxx=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [ -z "$libstdcxx" ] || grep -q 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
  exit 0
fi
if [ -f "$native/$compat" ] && patchelf --print-needed "$lib" 2>/dev/null | grep -qx "$compat"; then
  exit 0 # patched by an earlier build
fi
for tool in patchelf g++ gcc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "patch-libtorchsharp.sh: '$tool' is needed to make TorchSharp load with this system's libstdc++ (GLIBCXX_3.4.32 missing); install it with: sudo apt-get install -y patchelf g++ (./run.sh and ./test.sh do)" >&2
    exit 1
  fi
done
mkdir -p "$work"
[ -f "$work/$compat" ] || g++ -shared -fPIC -O2 -o "$work/$compat" "$here/native/stdcxx-compat.cpp"
[ -x "$work/weakver" ] || gcc -O2 -o "$work/weakver" "$here/native/weakver.c"
cp "$work/$compat" "$native/$compat"
tmp=$(mktemp "$native/.libLibTorchSharp.XXXXXX")
cp "$lib" "$tmp"
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$tmp"
patchelf --add-needed "$compat" "$tmp"
patchelf --set-rpath '$ORIGIN' "$tmp"
"$work/weakver" "$tmp" GLIBCXX_3.4.32
mv -f "$tmp" "$lib"
echo "patch-libtorchsharp.sh: patched $lib for a libstdc++ without GLIBCXX_3.4.32"
