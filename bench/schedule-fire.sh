#!/usr/bin/env bash
# Times scheduled fires in the warm engine (SPEC §8 "scheduled fire in the warm host"): N items of
# the hello flow all fire at the next full minute in one `aetherflow-scheduler run`; for every fire
# the time from its scheduled fire time to its first step_start event is read from the JSON logs.
#
#   bench/schedule-fire.sh [N]        (default 50; the budget: median <= 20 ms, all started within 1 s)
#
# Environment: AETHERFLOW_SCHEDULER (default: the built distribution's bin/aetherflow-scheduler under
# bundles-repo/target), BENCH_ROUNDS=R (default 1) keeps the one scheduler running for R minutes, so
# N x R fires are measured in the same warm host (BENCH_ROUNDS=2 with N=50: 100 fires), BENCH_KEEP=1
# keeps the scratch directory, BENCH_TMP=DIR puts it (and the state file) elsewhere than /tmp
# (BENCH_TMP=/dev/shm: the engine without the disk's fsync latency). Takes up to R + 1 minutes (it
# waits for the next full minute). Needs python3. Also prints the scheduler's CPU time and the load
# average at start and end (the machine's load moves the figures more than anything else).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
dflt=
for candidate in "$repo"/bundles-repo/target/aetherflow-*/bin/aetherflow-scheduler; do
  [ -x "$candidate" ] && dflt=$candidate
done
sched="${AETHERFLOW_SCHEDULER:-${dflt:-$repo/bundles-repo/target/aetherflow-VERSION/bin/aetherflow-scheduler}}"
n="${1:-50}"
rounds="${BENCH_ROUNDS:-1}"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "schedule-fire.sh: N must be a positive integer, got '$n'" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "schedule-fire.sh: BENCH_ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2; }
[ -x "$sched" ] || { echo "schedule-fire.sh: $sched is not executable; build first or set AETHERFLOW_SCHEDULER" >&2; exit 2; }
tmp="$(mktemp -d "${BENCH_TMP:-/tmp}/aetherflow-bench-sched.XXXXXX")"
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/hello.yaml" <<YAML
version: 1
flow:
  id: "{{env.BENCH_FLOW:hello}}"
  workspace: {root: "$tmp/work"}
  state: {path: "$tmp/state/aetherflow.sqlite"}
jobs:
  - id: main
    steps:
      - {id: greet, type: external.process, inputs: {command: ["true"], timeout_seconds: 30}}
YAML
{
  echo "timezone: UTC"
  echo "items:"
  for i in $(seq 1 "$n"); do echo "  - {id: item$i, cron: '* * * * *', flow_yaml: hello.yaml}"; done
} > "$tmp/scheduler.yaml"

cd "$tmp"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
AETHERFLOW_STATE_ROOT="$tmp/state" AETHERFLOW_LOG_FORMAT=json "$sched" run scheduler.yaml --stop-grace 5 \
  2> "$tmp/scheduler.log" &
pid=$!
# wait until every item's run ended in each of the first R full minutes after start, at most R + 70 s
for _ in $(seq 1 $(( (rounds * 60 + 70) * 2 ))); do
  done_runs=$(grep -c '"event": "run_end"' "$tmp/scheduler.log" || true)
  [ "$done_runs" -ge $(( n * rounds )) ] && break
  sleep 0.5
done
# the scheduler's CPU time (user + sys, its own and its reaped step processes'), from /proc before the stop
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15 + $16 + $17) / hz}' "/proc/$pid/stat" 2>/dev/null || echo "?")
kill -TERM "$pid"; wait "$pid" || true
echo "scheduler CPU (user+sys, incl. start-up and step processes): $cpu s; load average at start $load0, at end $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$tmp/scheduler.log" "$n" "$rounds" <<'PY'
import json, sys, statistics, datetime
fire, first = {}, {}
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("message", "").startswith("Running ") and "run_id" in e:
        t = datetime.datetime.fromisoformat(e["fire_time"].replace("Z", "+00:00"))
        fire[e["run_id"]] = t.timestamp() * 1000
    if e.get("event") == "step_start" and e.get("run_id") not in first:
        first[e["run_id"]] = e["ts_ms"]
n, rounds = int(sys.argv[2]), int(sys.argv[3])
lat = sorted(first[r] - fire[r] for r in fire if r in first)
if len(lat) < n * rounds:
    print(f"only {len(lat)} of {n * rounds} fires started a step", file=sys.stderr); sys.exit(1)
by_minute = {}
for r in fire:
    if r in first:
        by_minute.setdefault(fire[r], []).append(first[r] - fire[r])
spread = max(max(v) for v in by_minute.values())
print(f"scheduled fire -> first step_start, {len(lat)} fires ({n} items x {rounds} minute(s)): median"
      f" {statistics.median(lat):.1f} ms, min {lat[0]:.1f} ms, max {lat[-1]:.1f} ms; the last of a minute's"
      f" {n} started {spread:.0f} ms after the fire time at worst (budget: median <= 20 ms, all within 1000 ms)")
PY
