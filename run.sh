#!/usr/bin/env bash
# The StreamMonitor demo: runs a small LAMMPS Lennard-Jones crystallization, monitors it live and serves the dashboard
# (http://127.0.0.1:5080/runs/demo). Installs what it needs when it is missing: LAMMPS; Node.js and npm, with which the
# build bundles the web page; and patchelf and g++, with which the build makes TorchSharp load on systems whose
# libstdc++ predates GCC 13 (build/patch-libtorchsharp.sh). Extra arguments go to `streammonitor demo` (see --help).
set -euo pipefail
cd "$(dirname "$0")"
command -v dotnet >/dev/null 2>&1 || { echo "run.sh: 'dotnet' not found; install the .NET 10 SDK first" >&2; exit 1; }
missing=()
command -v lmp >/dev/null 2>&1 || missing+=(lammps)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v patchelf >/dev/null 2>&1 || missing+=(patchelf)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if ((${#missing[@]})); then
  echo "run.sh: installing ${missing[*]} (Debian packages)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "run.sh: building the command line (dotnet build src/Cli -c Release)"
# Errors only: a failed build prints each error with its reason (a failed TorchSharp patch included), a good one
# just its short summary.
dotnet build src/Cli -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet src/Cli/bin/Release/net10.0/streammonitor.dll demo "$@"
