# Sourced by the urea scripts (make-dataset.sh, examples/urea-nanocluster/run.sh) with `root` (the checkout) and
# `script` (its name, for messages) set: finds the reference data (urea: UREA_DATA, else data/molstrucclassifier/urea
# in the checkout), the LAMMPS command (LMP, default mpirun -np 2 lmp
# -sf opt when mpirun is installed, else lmp -sf opt) and the streammonitor command (STREAMMONITOR, default: builds
# src/Cli and runs it with dotnet).
urea=${UREA_DATA:-$root/data/molstrucclassifier/urea}
[[ -f "$urea/form-I-3456atoms.dump" && -f "$urea/urea.settings" ]] ||
  { echo "$script: no form-I-3456atoms.dump and urea.settings in $urea (set UREA_DATA)" >&2; exit 1; }
command -v lmp >/dev/null || { echo "$script: LAMMPS (lmp) not found; Debian/Ubuntu: apt-get install lammps" >&2; exit 1; }
if [[ -z "${LMP:-}" ]]; then
  if command -v mpirun >/dev/null; then LMP="mpirun -np 2 lmp -sf opt"; else LMP="lmp -sf opt"; fi
fi
# Waiting MPI ranks yield the core (Open MPI otherwise spins on it), so `watch` beside LAMMPS gets its share.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1 OMPI_MCA_mpi_yield_when_idle=1
if [[ -z "${STREAMMONITOR:-}" ]]; then
  echo "$script: building the command line (dotnet build src/Cli -c Release)" >&2
  dotnet build "$root/src/Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  STREAMMONITOR="dotnet $root/src/Cli/bin/Release/net10.0/streammonitor.dll"
fi
