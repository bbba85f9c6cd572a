#!/usr/bin/env bash
# The StreamMonitor demo: runs a small LAMMPS Lennard-Jones crystallization and monitors it live.
# Installs LAMMPS when it is missing. Extra arguments go to `streammonitor demo` (see --help).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v lmp >/dev/null 2>&1; then
  echo "run.sh: installing LAMMPS (Debian package lammps)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends lammps >/dev/null
fi
dotnet build src/Cli -c Release -nologo -v quiet
exec dotnet src/Cli/bin/Release/net10.0/streammonitor.dll demo "$@"
