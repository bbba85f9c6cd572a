#!/usr/bin/env bash
# A urea nanocluster melting in LAMMPS, followed live by `streammonitor watch`: form I cut to a sphere of 336 molecules
# (models/urea/urea-data.py --cluster), held at 200 K and then heated to 600 K while `watch` classifies every frame
# with urea-lmp (form I, its surface and the melt, trained on LAMMPS runs of this force field: models/urea/train.sh),
# splits the crystal into its surface and its core, and reports the melting with its mode.
#
# Usage: examples/urea-nanocluster/run.sh [--quick] [WATCH OPTIONS...]
#   --quick   a short, hotter run for tests: 1000 steps at 250 K, then 5000 steps heating to 700 K, a frame every 250
#   WATCH OPTIONS go to `streammonitor watch` (e.g. --json for the JSON contract's lines)
# Environment:
#   MODEL          the model (default urea-lmp; urea-2024, trained on bulk phases only, calls the cluster's surface melt)
#   WORKDIR        where the data file, dump and LAMMPS log go (default: examples/urea-nanocluster/.work; emptied first)
#   LMP            the LAMMPS command (default: mpirun -np 2 lmp -sf opt when mpirun is installed, else lmp -sf opt)
#   STREAMMONITOR  the streammonitor command (default: builds src/Cli and runs it with dotnet)
#   UREA_DATA      folder with form-I-3456atoms.dump and urea.settings of the MolStrucClassifier data (default:
#                  data/molstrucclassifier/urea)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
ureadir=$root/models/urea

# The run: equilibration steps at T_low, then heating steps to T_high, a frame every `every` steps (1 step = 1 fs).
T_low=200 equil=3000 T_high=600 heat=30000 every=500
watch_args=()
while (($#)); do
  case "$1" in
    --quick) T_low=250 equil=1000 T_high=700 heat=5000 every=250 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) watch_args+=("$1") ;;
  esac
  shift
done

script=run.sh
# shellcheck source=../../models/urea/environment.sh
source "$ureadir/environment.sh"

work=${WORKDIR:-$here/.work}
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -f "$work/dump.lammpstrj" "$work/STOP" "$work/log.lammps"
# The 2 x 2 x 2 supercell's molecules within 18 A of its middle, in a 66 A periodic box: 15 A of vacuum or more on
# every side, so no molecule sees another image of the cluster within the 12 A of the force field or the classifier.
python3 "$ureadir/urea-data.py" "$urea" "$work" --cells 2 2 2 --cluster 18 --box 66 --name cluster >&2

echo "run.sh: LAMMPS: $equil steps at $T_low K, then $heat steps heating to $T_high K, a frame every $every steps ($work/dump.lammpstrj)" >&2
(cd "$work" && exec $LMP -in "$here/in.urea-nanocluster" -var ureadir "$ureadir" -var data cluster.data \
  -var settings urea.settings -var T_low "$T_low" -var equil "$equil" -var T_high "$T_high" -var heat "$heat" \
  -var every "$every" -log log.lammps -screen none) &
lmp_pid=$!
trap 'kill "$lmp_pid" 2>/dev/null || true' EXIT INT TERM

# Surface and core by the default rule (a molecule with fewer than 20 centres within ~8 A is surface), the one the data
# set labels surface molecules by; urea-lmp counts form I and its surface as crystalline. --idle-exit ends the watch
# once LAMMPS has stopped writing.
$STREAMMONITOR watch "$work/dump.lammpstrj" --model "${MODEL:-urea-lmp}" --run-id urea-nanocluster \
  --idle-exit 30 "${watch_args[@]}"
wait "$lmp_pid" || { echo "run.sh: LAMMPS failed; the end of $work/log.lammps:" >&2; tail -n 15 "$work/log.lammps" >&2; exit 1; }
