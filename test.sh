#!/usr/bin/env bash
# Runs every StreamMonitor test. Installs what the tests use when it is missing (LAMMPS, GROMACS,
# MDAnalysis and ASE as independent readers; redis-server; InfluxDB; Chromium for the dashboard's browser tests; Node.js and npm
# to bundle the web page; patchelf and g++ for the TorchSharp build fix), starts
# redis-server on 127.0.0.1 (append-only, in a temporary folder) and influxd on 127.0.0.1 (its own config and
# temporary folder), restores, builds, runs `dotnet test`, and ends with
# one line "N passed, N failed, N skipped" counted from the test results.
#   ./test.sh            every test (what CI runs)
#   ./test.sh --quick    the unit-level tests only: leaves out those marked [Trait("Category", "Slow")] (they follow a
#                        running LAMMPS or GROMACS, start servers or Redis, or take seconds)
# Other arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Tailer); a --filter given with
# --quick is combined with it.
set -euo pipefail
cd "$(dirname "$0")"

quick=0 filter="" args=()
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --filter) filter=${2:?--filter needs an expression}; shift ;;
    --filter=*) filter=${1#--filter=} ;;
    *) args+=("$1") ;;
  esac
  shift
done
if ((quick)); then
  filter=${filter:+($filter)&}'Category!=Slow'
fi
[ -z "$filter" ] || args+=(--filter "$filter")

missing=()
command -v lmp >/dev/null 2>&1 || missing+=(lammps)
command -v gmx >/dev/null 2>&1 || missing+=(gromacs)
/usr/bin/python3 -c 'import MDAnalysis' >/dev/null 2>&1 || missing+=(python3-mdanalysis)
/usr/bin/python3 -c 'import ase' >/dev/null 2>&1 || missing+=(python3-ase)
# TorchSharp's native library is patched at build time on systems with an older libstdc++ (build/patch-libtorchsharp.sh).
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
# The browser tests drive Debian's Chromium through Playwright (never `playwright install`: it downloads browsers).
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v patchelf >/dev/null 2>&1 || missing+=(patchelf)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Redis the cluster tests share (each test uses its own cluster name); stopped however this script ends.
redis_dir=$(mktemp -d -t streammonitor-redis-XXXXXX)
redis_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" --appendonly yes --save "" \
  --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
stop_redis() {
  local pid
  pid=$(cat "$redis_dir/redis.pid" 2>/dev/null) || pid=""
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    # redis-server still writes its append-only files after SIGTERM: removing the folder under it can fail, and a
    # failure here would change the script's exit status and put a line after the summary.
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$redis_dir" 2>/dev/null || true
}
trap stop_redis EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
  sleep 0.1
done
export STREAMMONITOR_TEST_REDIS="127.0.0.1:$redis_port"

# The InfluxDB the metrics tests share (each test uses its own database), with its own config: loopback only, its data
# in a temporary folder (the packaged config would bind every interface and write under /var/lib).
influx_dir=$(mktemp -d -t streammonitor-influx-XXXXXX)
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
influx_port=$(free_port)
influx_rpc_port=$(free_port)
sed -e "s#@DIR@#$influx_dir#g" -e "s#@HTTP_PORT@#$influx_port#g" -e "s#@RPC_PORT@#$influx_rpc_port#g" \
  tests/TestSupport/influxdb.conf.template >"$influx_dir/influxdb.conf"
influxd -config "$influx_dir/influxdb.conf" >"$influx_dir/influxd.log" 2>&1 &
influx_pid=$!
stop_influx() {
  kill "$influx_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$influx_pid" 2>/dev/null || break; sleep 0.1; done
  rm -rf "$influx_dir" 2>/dev/null || true
}
trap 'stop_redis; stop_influx' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$influx_port") 2>/dev/null && break
  sleep 0.1
done
export STREAMMONITOR_TEST_INFLUX="http://127.0.0.1:$influx_port"

dotnet restore StreamMonitor.sln
dotnet build StreamMonitor.sln -c Release --no-restore -nologo -v quiet

results=TestResults
rm -rf "$results"
set +e
dotnet test StreamMonitor.sln -c Release --no-build --logger trx --results-directory "$results" ${args[@]+"${args[@]}"}
status=$?
set -e

# The summary line comes from the TRX files, so a run that executed no test shows as such. Passed, failed and
# skipped tests are counted from each result's outcome: the Counters element leaves skipped tests out of notExecuted.
passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  outcomes=$(grep -o '<UnitTestResult [^>]*>' "$trx" | grep -o ' outcome="[A-Za-z]*"' || true)
  count() { grep -c "\"$1\"" <<<"$outcomes" || true; }
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(count Passed)))
  failed=$((failed + $(count Failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(count NotExecuted)))
done
if ((files == 0 || passed + failed == 0)); then
  echo "test.sh: no test ran ($files result files, $skipped skipped)" >&2
  ((status != 0)) || status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
