#!/usr/bin/env bash
# The Lennard-Jones nucleation campaign of examples/lj-nucleation, end to end, as the README's "Shooting campaigns"
# reports it: a spontaneously crystallizing trajectory, shooting points spread over n_max, a campaign whose shots are
# stopped as soon as they commit, and a check that stopped shots were truly committed (a sample is run again with the
# same seed, unstopped, to the full length).
#
#   bench/campaign/lj-campaign.sh [--points 8] [--shots 10] [--verify 20] [--concurrent 2] [--work DIR] [--reuse]
#
# --reuse keeps a finished campaign from an earlier run in the same --work folder and only verifies and analyses it.
#
# Prints "campaign-steps ratio=X" (MD steps at full length / steps run), "campaign-committed stayed=K/N", the p_B table
# and the fitted coordinates. Costs, on this project's 2-core machines: see bench/README.md.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$bench/.." && pwd)
example="$root/examples/lj-nucleation"
points=8 shots=10 verify=20 concurrent=2 work="$bench/.data/lj-campaign" reuse=0
while (($#)); do
  case "$1" in
    --points) points=$2; shift 2 ;;
    --shots) shots=$2; shift 2 ;;
    --verify) verify=$2; shift 2 ;;
    --concurrent) concurrent=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --reuse) reuse=1; shift ;;
    *) echo "lj-campaign: unknown option $1" >&2; exit 2 ;;
  esac
done
# The state point, basins and lengths of examples/lj-nucleation/README.md.
source "$example/campaign.env"

echo "[lj-campaign] building the command line" >&2
dotnet build "$root/src/Cli" -c Release -nologo -v q -clp:ErrorsOnly >&2
sm() { dotnet "$root/src/Cli/bin/Release/net10.0/streammonitor.dll" "$@"; }
mkdir -p "$work"
cd "$work"

start=$(date +%s)
if [ ! -s nucleate/dump.lammpstrj ]; then
  echo "[lj-campaign] crystallizing trajectory: $NUCLEATE_ARGS" >&2
  rm -rf nucleate && mkdir nucleate
  (cd nucleate && lmp -in "$example/in.lj-nucleate" -log log.lammps -screen none $NUCLEATE_ARGS)
fi
echo "[lj-campaign] shooting points: every frame with n_max in [$POINTS_MIN,$POINTS_MAX]" >&2
sm campaign points nucleate/dump.lammpstrj --every 1 --where "n_max in [$POINTS_MIN,$POINTS_MAX]" --out all-points --force >/dev/null
# Spread the chosen points evenly over n_max (the trajectory dwells longest at small nuclei).
/usr/bin/python3 - "$points" <<'PY'
import json, sys, os
want = int(sys.argv[1])
s = json.load(open("all-points/points.json"))
pts = sorted(s["points"], key=lambda p: p["values"]["n_max"])
lo, hi = pts[0]["values"]["n_max"], pts[-1]["values"]["n_max"]
chosen = []
for i in range(want):
    target = lo + (hi - lo) * i / max(1, want - 1)
    best = min((p for p in pts if p not in chosen), key=lambda p: abs(p["values"]["n_max"] - target))
    chosen.append(best)
chosen.sort(key=lambda p: p["values"]["n_max"])
for p in chosen: p["config"] = os.path.join("..", "all-points", p["config"])
os.makedirs("points", exist_ok=True)
json.dump(dict(s, points=chosen), open("points/points.json", "w"), indent=2)
print("[lj-campaign] points (id n_max): " + ", ".join(f'{p["id"]} {p["values"]["n_max"]:.0f}' for p in chosen), file=sys.stderr)
PY
cat > campaign.json <<JSON
{
  "id": "lj-nucleation",
  "basins": [ { "name": "liquid", "bounds": { "n_max": [null, $BASIN_A] } }, { "name": "crystal", "bounds": { "n_max": [$BASIN_B, null] } } ],
  "points": "points/points.json",
  "shots_per_point": $shots,
  "launch": { "command": ["lmp", "-in", "$example/shoot.in", "-log", "log.lammps", "-screen", "none", "-var", "config", "{config}",
                          "-var", "config_format", "{config_format}", "-var", "config_step", "{config_step}", "-var", "seed", "{seed}",
                          "-var", "steps", "{steps}", "-var", "dump_every", "$DUMP_EVERY"] },
  "max_steps": $MAX_STEPS,
  "concurrent": $concurrent,
  "directory": "shots"
}
JSON
finished() { /usr/bin/python3 -c 'import json,sys; sys.exit(0 if json.load(open("shots/campaign.json"))["phase"] == "finished" else 1)' 2>/dev/null; }
campaign_start=$(date +%s)
if ((reuse)) && [ -f shots/campaign.json ] && finished; then
  echo "[lj-campaign] reusing the finished campaign in $work/shots" >&2
else
  rm -rf shots
  sm campaign run campaign.json --port 0 >campaign.log 2>&1 || true
  finished || { cat campaign.log >&2; echo "lj-campaign: the campaign did not finish" >&2; exit 1; }
fi
campaign_seconds=$(( $(date +%s) - campaign_start ))
tail -4 campaign.log >&2

# Run a sample of stopped shots again, same configuration and seed, unstopped, to the full length. A shot stayed
# committed when no frame after its commitment is inside the other basin (as a shot that commits is never counted
# again); it ended inside when its last frame is inside the basin it committed to. The rerun draws the same velocities,
# so its frame at the commitment must be inside that basin too ("reproduced").
echo "[lj-campaign] verifying $verify stopped shots at full length" >&2
/usr/bin/python3 - "$verify" "$example/shoot.in" "$MAX_STEPS" "$DUMP_EVERY" "$BASIN_A" "$BASIN_B" "$concurrent" "$root/src/Cli/bin/Release/net10.0/streammonitor.dll" <<'PY'
import json, os, subprocess, sys, random
from concurrent.futures import ThreadPoolExecutor
want, shoot, max_steps, every, a, b, parallel, cli = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
record = json.load(open("shots/campaign.json"))
points = {p["id"]: p for p in record["definition"]["points"]}
stopped = [s for s in record["shots"] if s["outcome"] in ("a", "b") and s["steps_run"] is not None and s["steps_run"] < int(max_steps)]
random.Random(1).shuffle(stopped)
sample = stopped[:int(want)]
def run(shot):
    d = os.path.join("verify", shot["run_id"].replace(":", "_"))
    os.makedirs(d, exist_ok=True)
    p = points[shot["point_id"]]
    if not os.path.exists(os.path.join(d, "done")):
        subprocess.run(["lmp", "-in", shoot, "-log", "log.lammps", "-screen", "none", "-var", "config", p["config"], "-var", "config_format", p["config_format"],
                        "-var", "config_step", str(p["config_step"]), "-var", "seed", str(shot["seed"]), "-var", "steps", max_steps, "-var", "dump_every", every], cwd=d, check=True)
        open(os.path.join(d, "done"), "w").close()
    out = subprocess.run(["dotnet", cli, "watch", os.path.join(d, "dump.lammpstrj"), "--json", "--idle-exit", "1"],
                         capture_output=True, text=True, check=True).stdout
    frames = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    nmax = [f["summary"]["n_max"] for f in frames if f.get("type") == "summary" and f.get("summary")]
    after = nmax[shot["commit_frame"]:]
    inside = (lambda n: n < a) if shot["outcome"] == "a" else (lambda n: n > b)
    other = (lambda n: n > b) if shot["outcome"] == "a" else (lambda n: n < a)
    same = len(nmax) > shot["commit_frame"] and inside(nmax[shot["commit_frame"]])
    return shot, after, not any(other(n) for n in after), inside(after[-1]) if after else False, same
with ThreadPoolExecutor(parallel) as pool:
    results = list(pool.map(run, sample))
stayed = sum(1 for r in results if r[2])
ended = sum(1 for r in results if r[3])
reproduced = sum(1 for r in results if r[4])
for shot, after, ok, end, same in results:
    print(f'  {shot["run_id"]:<32} {shot["outcome"]} at frame {shot["commit_frame"]:>3}: n_max after {min(after):.0f}..{max(after):.0f}, last {after[-1]:.0f}  {"stayed" if ok else "REACHED THE OTHER BASIN"}{"" if end else ", ended outside it"}', file=sys.stderr)
print(f"campaign-committed stayed={stayed}/{len(results)} ended_inside={ended}/{len(results)} reproduced={reproduced}/{len(results)}")
PY

sm campaign analyse shots --quantities n_max,crystalline_fraction,largest_rg,mean_q6 >analysis.txt
sm campaign analyse shots --json >analysis.json
cat analysis.txt >&2
/usr/bin/python3 - "$campaign_seconds" <<'PY'
import json, sys
a = json.load(open("analysis.json"))
c = a["counts"]
print(f'campaign-steps ratio={c["steps_at_full_length"] / c["steps_run"]:.2f} run={c["steps_run"]} full={c["steps_at_full_length"]} shots={c["concluded"]} a={c["a"]} b={c["b"]} undecided={c["undecided"]} seconds={sys.argv[1]}')
PY
echo "[lj-campaign] total $(( $(date +%s) - start )) s; work in $work" >&2
