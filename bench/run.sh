#!/usr/bin/env bash
# Times the SPEC §8 scenarios and prints medians against the budgets.
#
#   bench/run.sh [-n RUNS] [scenario ...]
#
# Scenarios: hello check_items_1000 process_200 resume_1000 validate_50x20 excel_100k excel_400k
# bundle_unchanged bundle_one_change (default: these; the bundle scenarios time `bundle sync` of a
# 2,000-file bundle: unchanged (cache_check), and after one file changed), and db_stream_csv
# db_stream_parquet db_fetch_small (only when named: they first write a SQLite file of
# BENCH_DB_ROWS rows x 10 columns, default 1000000, with bench/GenDb.java and sqlite-jdbc), and
# hello_plus100 (only when named: hello on a copy of the installation with 100 synthetic step
# bundles added by bench/gen-plugins.sh and `plugins add`; start-up growth against hello).
# check_items_1000 also counts the fsync/fdatasync calls of one extra run with strace (when present).
# Environment:
#   AETHERFLOW      the launcher to time (default: <repo>/bin/aetherflow)
#   AETHERFLOW_REF  optional: the Python AetherFlow's `aetherflow` command; when set, every
#                   scenario is timed with it too (in turn with ours, run by run), its medians
#                   replace SPEC §8's figures and a ratio column (ours / reference) is printed
#   BENCH_RUNS      runs per scenario (default 5; -n wins)
#   BENCH_TMP       scratch directory (default: a new directory under /tmp, removed at the end)
#   BENCH_KEEP=1    keep the scratch directory (logs of every run)
#   BENCH_DB_ROWS   rows of the db scenarios' table (default 1000000)
#   BENCH_DB        an existing database of that shape to use instead (made by bench/GenDb.java)
# Exit code: 0 when every run succeeded (whether or not budgets are met), 1 when a run failed,
# 2 on a usage error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
af="${AETHERFLOW:-$repo/bin/aetherflow}"
ref="${AETHERFLOW_REF:-}"
runs="${BENCH_RUNS:-5}"
all_scenarios=(hello check_items_1000 process_200 resume_1000 validate_50x20 excel_100k excel_400k bundle_unchanged bundle_one_change)
db_scenarios=(db_stream_csv db_stream_parquet db_fetch_small)
extra_scenarios=(hello_plus100)
scenarios=()

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    -n) runs="${2:?-n needs a number}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *)
      ok=0
      for s in "${all_scenarios[@]}" "${db_scenarios[@]}" "${extra_scenarios[@]}"; do [ "$s" = "$1" ] && ok=1; done
      [ "$ok" = 1 ] || { echo "run.sh: unknown scenario $1 (one of: ${all_scenarios[*]} ${db_scenarios[*]} ${extra_scenarios[*]})" >&2; exit 2; }
      scenarios+=("$1"); shift ;;
  esac
done
[ "${#scenarios[@]}" -gt 0 ] || scenarios=("${all_scenarios[@]}")
# a scenario named twice is timed once
uniq_scenarios=()
for s in "${scenarios[@]}"; do
  dup=0
  for u in "${uniq_scenarios[@]}"; do [ "$u" = "$s" ] && dup=1; done
  [ "$dup" = 1 ] || uniq_scenarios+=("$s")
done
scenarios=("${uniq_scenarios[@]}")
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: runs must be a positive integer, got '$runs'" >&2; exit 2; }
[ -x "$af" ] || { echo "run.sh: $af is not executable; build first (mvn -B -q install -DskipTests) or set AETHERFLOW" >&2; exit 2; }
if [ -n "$ref" ] && ! command -v "$ref" >/dev/null 2>&1; then
  echo "run.sh: AETHERFLOW_REF=$ref is not a command" >&2; exit 2
fi

tmp="${BENCH_TMP:-}"
if [ -z "$tmp" ]; then
  tmp="$(mktemp -d /tmp/aetherflow-bench.XXXXXX)"
  [ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$tmp"
flows="$tmp/flows"
"$here/gen-flows.sh" --out "$flows" >/dev/null

gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
  gnu_time=/usr/bin/time
fi
true_bin="$(type -P true)"

now_ns() { date +%s%N; }

# measure LABEL CMD... : runs CMD once with fresh logs; appends "seconds rss_kb" to $tmp/LABEL.dat.
# Wall time comes from the clock around the command (ns resolution); peak RSS from GNU time.
# With SOFT_FAIL=1 a failing run is reported and recorded as "nan nan" instead of stopping run.sh
# (the reference without an optional dependency, e.g. pyarrow for parquet).
measure() {
  local label="$1"; shift
  local log="$tmp/$label.log" t0 t1 rc rss="nan"
  t0="$(now_ns)"
  if [ -n "$gnu_time" ]; then
    if "$gnu_time" -f '%M' -o "$tmp/rss" "$@" >"$log" 2>&1; then rc=0; else rc=$?; fi
    rss="$(tail -n 1 "$tmp/rss")"
  else
    if "$@" >"$log" 2>&1; then rc=0; else rc=$?; fi
  fi
  t1="$(now_ns)"
  if [ "$rc" != 0 ]; then
    echo "run.sh: '$label' failed with exit code $rc: $*" >&2
    tail -n 20 "$log" >&2
    if [ "${SOFT_FAIL:-0}" = 1 ]; then
      echo "nan nan" >>"$tmp/$label.dat"
      return 0
    fi
    exit 1
  fi
  awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.6f %s\n", (b - a) / 1e9, r }' >>"$tmp/$label.dat"
}

# median FILE COLUMN -> median of the numeric column ("nan" when there is none)
median() {
  awk -v c="$2" '$c != "nan" { print $c }' "$1" | sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "nan"; exit }
      if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

# fresh_state PREFIX : new empty workspace and state for one run
fresh_state() {
  rm -rf "$tmp/work" "$tmp/state"
  mkdir -p "$tmp/work" "$tmp/state"
  export BENCH_WORK="$tmp/work" BENCH_STATE="$tmp/state/$1.sqlite"
}

# Ours and the reference are timed run by run in turn (ours, reference, ours, ...), so a change in the
# machine's speed during the bench (other tenants of a shared host) falls on both sides of a ratio alike;
# hello_plus100 is timed in the same turns as hello, so its start-up growth compares neighbouring runs.

# cmd_of TAG SCENARIO : the command one implementation runs a scenario with
cmd_of() {
  if [ "$1" = ref ]; then echo "$ref"; elif [ "$2" = hello_plus100 ]; then echo "$plus100"; else echo "$af"; fi
}

# setup_scenario TAG SCENARIO : what a scenario needs before its timed runs (untimed)
setup_scenario() {
  local tag="$1" s="$2" cmd
  cmd="$(cmd_of "$tag" "$s")"
  case "$s" in
    resume_1000)
      # each implementation keeps its own workspace and state for the run it resumes
      rm -rf "$tmp/resume.$tag"; mkdir -p "$tmp/resume.$tag/work"
      BENCH_WORK="$tmp/resume.$tag/work" BENCH_STATE="$tmp/resume.$tag/state.sqlite" \
        measure "$tag.resume_setup" "$cmd" run --flow-yaml "$flows/resume_1000.yaml" --run-id bench-resume ;;
    hello_plus100)
      # its own first launch: a new installation makes its framework storage and class-data archive
      [ "$tag" = af ] || return 0
      fresh_state plus100_warmup
      measure "$tag.plus100_warmup" "$cmd" run --flow-yaml "$flows/hello.yaml" ;;
    bundle_unchanged|bundle_one_change)
      rm -rf "$tmp/bundle.$tag"; mkdir -p "$tmp/bundle.$tag"
      measure "$tag.${s}_setup" "$cmd" bundle sync --bundle-manifest "$flows/bundle_2000.yaml" --work-root "$tmp/bundle.$tag" ;;
  esac
}

# run_once TAG SCENARIO RUN : one timed run
run_once() {
  local tag="$1" s="$2" i="$3" cmd
  cmd="$(cmd_of "$tag" "$s")"
  case "$s" in
    resume_1000)
      BENCH_WORK="$tmp/resume.$tag/work" BENCH_STATE="$tmp/resume.$tag/state.sqlite" \
        measure "$tag.$s" "$cmd" run --flow-yaml "$flows/resume_1000.yaml" --run-id bench-resume ;;
    validate_50x20)
      fresh_state validate
      measure "$tag.$s" "$cmd" validate --flow-yaml "$flows/validate_50x20.yaml" ;;
    db_*)
      fresh_state "$s"
      SOFT_FAIL="$([ "$tag" = ref ] && echo 1 || echo 0)" measure "$tag.$s" "$cmd" run --flow-yaml "$flows/$s.yaml"
      find "$tmp/work" -name 'facts.*' -type f -printf '%s\n' 2>/dev/null | head -n 1 >"$tmp/$tag.$s.size" ;;
    bundle_unchanged|bundle_one_change)
      if [ "$s" = bundle_one_change ]; then
        printf 'changed %s %d\n' "$tag" "$i" >>"$flows/bundle_2000/assets/d7/f7.txt"
      fi
      measure "$tag.$s" "$cmd" bundle sync --bundle-manifest "$flows/bundle_2000.yaml" --work-root "$tmp/bundle.$tag"
      grep -q "^$([ "$s" = bundle_one_change ] && echo CHANGED || echo UNCHANGED): " "$tmp/$tag.$s.log" || {
        echo "run.sh: $tag $s: unexpected output: $(head -c 300 "$tmp/$tag.$s.log")" >&2; exit 1; } ;;
    *)
      # hello, hello_plus100 (ours: the copy with 100 more bundles; the reference has no plugin bundles:
      # its plain hello) and the other run scenarios
      local flow="$s"
      [ "$s" = hello_plus100 ] && flow=hello
      fresh_state "$s"
      measure "$tag.$s" "$cmd" run --flow-yaml "$flows/$flow.yaml" ;;
  esac
}

# bench_all : every selected scenario (and hello, the start-up baseline), both implementations in turn
bench_all() {
  local tags=(af) tag s x group i done_hello=0
  [ -n "$ref" ] && tags+=(ref)
  # one untimed run each warms the OS file cache (and the launcher's framework cache)
  for tag in "${tags[@]}"; do
    fresh_state warmup
    measure "$tag.warmup" "$(cmd_of "$tag" hello)" run --flow-yaml "$flows/hello.yaml"
  done
  for s in "${scenarios[@]}" hello; do
    case "$s" in
      hello|hello_plus100)
        [ "$done_hello" = 1 ] && continue
        done_hello=1
        group=(hello)
        for x in "${scenarios[@]}"; do [ "$x" = hello_plus100 ] && group+=(hello_plus100); done ;;
      *) group=("$s") ;;
    esac
    for s in "${group[@]}"; do
      for tag in "${tags[@]}"; do setup_scenario "$tag" "$s"; done
    done
    for ((i = 1; i <= runs; i++)); do
      for s in "${group[@]}"; do
        for tag in "${tags[@]}"; do run_once "$tag" "$s" "$i"; done
      done
    done
  done
  # durable syncs: one more, untimed run of check_items_1000 and of hello under strace
  if [ -n "$strace_bin" ] && [ -e "$tmp/af.check_items_1000.dat" ]; then
    for tag in "${tags[@]}"; do
      for s in check_items_1000 hello; do
        fresh_state "sync_$s"
        "$strace_bin" -f -c -e trace=fsync,fdatasync -o "$tmp/$tag.$s.strace" "$(cmd_of "$tag" "$s")" run \
          --flow-yaml "$flows/$s.yaml" >"$tmp/$tag.$s.strace.log" 2>&1 || {
          echo "run.sh: $tag $s under strace failed" >&2; tail -n 20 "$tmp/$tag.$s.strace.log" >&2; exit 1; }
        awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$tmp/$tag.$s.strace" >"$tmp/$tag.$s.syncs"
      done
    done
  fi
}

# strace, when it can trace here (containers may forbid ptrace)
strace_bin=""
if command -v strace >/dev/null 2>&1 && strace -f -c -o /dev/null true >/dev/null 2>&1; then
  strace_bin="$(command -v strace)"
fi

# hello_plus100: a copy of the installation with 100 synthetic step bundles in its plugin set
plus100=""
for s in "${scenarios[@]}"; do
  [ "$s" = hello_plus100 ] || continue
  inst="$(cd "$(dirname "$(readlink -f "$af")")/.." && pwd)"
  if [ ! -f "$inst/plugins.lock" ]; then # the development wrapper: the distribution it runs
    inst="$(ls -d "$repo"/bundles-repo/target/aetherflow-*/ 2>/dev/null | head -n 1)"
    inst="${inst%/}"
  fi
  [ -n "$inst" ] && [ -f "$inst/plugins.lock" ] || { echo "run.sh: hello_plus100: no installation found for $af" >&2; exit 2; }
  "$here/gen-plugins.sh" --home "$inst" --out "$tmp/plugins100" --count 100 >/dev/null
  rm -rf "$tmp/af-plus100"
  cp -a "$inst" "$tmp/af-plus100"
  "$tmp/af-plus100/bin/aetherflow" plugins add "$tmp"/plugins100/jars/*.jar >"$tmp/plugins100.log" 2>&1 || {
    echo "run.sh: hello_plus100: plugins add failed" >&2; tail -n 20 "$tmp/plugins100.log" >&2; exit 1; }
  plus100="$tmp/af-plus100/bin/aetherflow"
  echo "plus100:    $(tail -n 1 "$tmp/plugins100.log")"
done

spawn_true_200() { # the cost of starting `true` 200 times, without any engine
  local i
  for ((i = 0; i < 200; i++)); do "$true_bin"; done
}

af_version="$({ "$af" version 2>/dev/null || true; } | head -n 1)"
echo "aetherflow: $af (${af_version:-version unknown})"
[ -n "$ref" ] && echo "reference:  $ref"
echo "machine:    $(uname -sr), $(nproc 2>/dev/null || echo '?') CPUs; $runs run(s) per scenario; scratch $tmp"
[ -n "$gnu_time" ] || echo "note:       /usr/bin/time (GNU) not found: peak RSS is not measured"
echo

db_rows="${BENCH_DB_ROWS:-1000000}"
for s in "${scenarios[@]}"; do
  case "$s" in db_*)
    if [ -n "${BENCH_DB:-}" ] && [ -e "$BENCH_DB" ]; then
      echo "db table:   $BENCH_DB (given; BENCH_DB_ROWS=$db_rows must match its row count)"
      break
    fi
    # sqlite-jdbc from the distribution the launcher runs (or the local Maven repository)
    home="$(cd "$(dirname "$(readlink -f "$af")")/.." && pwd)"
    jar="$(ls "$home"/bundles/sqlite-jdbc-*.jar "$repo"/bundles-repo/target/aetherflow-*/bundles/sqlite-jdbc-*.jar \
      "$HOME"/.m2/repository/org/xerial/sqlite-jdbc/*/sqlite-jdbc-*.jar 2>/dev/null | head -n 1)"
    [ -n "$jar" ] || { echo "run.sh: no sqlite-jdbc jar found for the db scenarios' database" >&2; exit 2; }
    java -cp "$jar" "$here/GenDb.java" "$tmp/facts.sqlite" "$db_rows" >/dev/null
    export BENCH_DB="$tmp/facts.sqlite"
    echo "db table:   $db_rows rows x 10 columns in $BENCH_DB ($(du -m "$BENCH_DB" | cut -f1) MB)"
    break ;;
  esac
done

bench_all
for ((i = 1; i <= runs; i++)); do
  t0="$(now_ns)"; spawn_true_200; t1="$(now_ns)"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f nan\n", (b - a) / 1e9 }' >>"$tmp/true_200.dat"
done

med() { median "$tmp/$1.dat" "${2:-1}"; }   # med LABEL [COLUMN]
has() { [ -e "$tmp/$1.dat" ]; }

# Reference figures: SPEC §8 (Python AetherFlow, medians), or the reference measured here.
# excel_100k: issue 11's figure for openpyxl (14.7 s, 462 MB); excel_400k is judged against excel_100k's RSS
declare -A REF=([hello]=0.33 [check_items_1000]=1.38 [process_200]=0.71 [resume_1000]=0.81 [validate_50x20]=0.67
  [excel_100k]=14.7 [excel_400k]=nan [bundle_unchanged]=nan [bundle_one_change]=nan)
ref_source="SPEC §8"
if [ -n "$ref" ]; then
  ref_source="measured ($ref)"
  for s in "${scenarios[@]}" hello; do REF[$s]="$(med "ref.$s")"; done
fi

hello_s="$(med af.hello)"
hello_rss="$(med af.hello 2)"
true_s="$(med true_200)"

# row SCENARIO MEDIAN PER-STEP RSS BUDGET RESULT, with $RATIO (ours / reference, "-" without one) as 5th column
row() { printf '%-18s %10s %12s %12s %7s  %-34s %s\n' "$1" "$2" "$3" "$4" "${RATIO:--}" "$5" "$6"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
verdict() { awk -v v="$1" -v b="$2" 'BEGIN { if (v == "nan" || b == "nan") print "n/a"; else print (v <= b ? "PASS" : "OVER") }'; }
fmt() { awk -v v="$1" -v m="${2:-1}" -v p="${3:-3}" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.*f\n", p, v * m }'; }

RATIO="$([ -n "$ref" ] && echo ratio || echo -)" row scenario "median s" "per-step ms" "peak RSS MB" "budget" result
RATIO="$([ -n "$ref" ] && echo ----- || echo -)" row -------- -------- ----------- ----------- ------ ------
for s in "${scenarios[@]}"; do
  t="$(med "af.$s")"; rss="$(med "af.$s" 2)"; rss_mb="$(fmt "$rss" 0.0009765625 1)"
  RATIO=-
  [ -n "$ref" ] && RATIO="$(ratio "$t" "$(med "ref.$s")")"
  case "$s" in
    hello)
      b="${REF[hello]}"
      row "$s" "$(fmt "$t")" - "$rss_mb" "<= $(fmt "$b") s (reference; aim half)" "$(verdict "$t" "$b")" ;;
    check_items_1000)
      per="$(awk -v a="$t" -v h="$hello_s" 'BEGIN { printf "%.6f", (a - h) }')"  # seconds per 1000 steps = ms per step
      if [ -n "$ref" ]; then
        RATIO="$(ratio "$per" "$(awk -v a="$(med ref.$s)" -v h="$(med ref.hello)" 'BEGIN { printf "%.6f", (a - h) }')")"
      fi
      row "$s" "$(fmt "$t")" "$(fmt "$per" 1 3)" "$rss_mb" "<= 0.200 ms/step above start-up" "$(verdict "$per" 0.2)" ;;
    process_200)
      per="$(awk -v a="$t" -v h="$hello_s" -v tr="$true_s" 'BEGIN { printf "%.6f", ((a - h) - tr) / 200 * 1000 }')"
      if [ -n "$ref" ]; then
        RATIO="$(ratio "$per" "$(awk -v a="$(med ref.$s)" -v h="$(med ref.hello)" -v tr="$true_s" \
          'BEGIN { printf "%.6f", ((a - h) - tr) / 200 * 1000 }')")"
      fi
      row "$s" "$(fmt "$t")" "$(fmt "$per" 1 3)" "$rss_mb" "<= 1.000 ms/process above its run" "$(verdict "$per" 1)" ;;
    resume_1000)
      b="$(awk -v r="${REF[resume_1000]}" 'BEGIN { printf "%.6f", r * 0.35 }')"
      row "$s" "$(fmt "$t")" - "$rss_mb" "<= $(fmt "$b") s (0.35 x $(fmt "${REF[resume_1000]}"))" "$(verdict "$t" "$b")" ;;
    validate_50x20)
      b="$(awk -v r="${REF[validate_50x20]}" 'BEGIN { printf "%.6f", r * 0.4 }')"
      row "$s" "$(fmt "$t")" - "$rss_mb" "<= $(fmt "$b") s (0.4 x $(fmt "${REF[validate_50x20]}"))" "$(verdict "$t" "$b")" ;;
    hello_plus100)
      growth="$(awk -v a="$t" -v h="$hello_s" 'BEGIN { printf "%.1f", (a / h - 1) * 100 }')"
      row "$s" "$(fmt "$t")" - "$rss_mb" "<= +10 % start-up vs hello ($growth %)" \
        "$(awk -v g="$growth" 'BEGIN { print (g <= 10 ? "PASS" : "OVER") }')" ;;
    db_*)
      rows="$db_rows"; [ "$s" = db_fetch_small ] && rows=50000
      rps="$(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%.0f", r / t }')"
      size="$(cat "$tmp/af.$s.size" 2>/dev/null || echo)"
      size_mb="$(fmt "${size:-nan}" 0.00000095367431640625 1)"
      if [ -n "$ref" ] && [ "$(med "ref.$s")" != nan ]; then
        r="$(med "ref.$s")"; rr="$(med "ref.$s" 2)"
        rsize="$(cat "$tmp/ref.$s.size" 2>/dev/null || echo)"
        note="ref $(fmt "$r") s, $(fmt "$rr" 0.0009765625 1) MB RSS"
        if [ -n "$rsize" ]; then note="$note, file $(fmt "$rsize" 0.00000095367431640625 1) MB"; fi
        if [ "$s" = db_stream_csv ]; then
          b="$(awk -v r="$r" 'BEGIN { printf "%.6f", r * 0.5 }')"
          row "$s" "$(fmt "$t")" "$rps rows/s" "$rss_mb" "<= 0.5 x ref; $note" "$(verdict "$t" "$b")"
        else
          row "$s" "$(fmt "$t")" "$rps rows/s" "$rss_mb" "$note; file ${size_mb} MB" "-"
        fi
      else
        note="file ${size_mb} MB"
        if [ -n "$ref" ]; then note="$note; reference failed"; fi
        row "$s" "$(fmt "$t")" "$rps rows/s" "$rss_mb" "$note" "-"
      fi ;;
    excel_100k)
      b="$(awk -v r="${REF[excel_100k]}" 'BEGIN { printf "%.6f", r / 3 }')"
      row "$s" "$(fmt "$t")" - "$rss_mb" "<= $(fmt "$b") s (1/3 x $(fmt "${REF[excel_100k]}"))" "$(verdict "$t" "$b")"
      [ -n "$gnu_time" ] && row "rss $s" - - "$rss_mb" "<= 256 MB" "$(verdict "$rss_mb" 256)" ;;
    excel_400k)
      row "$s" "$(fmt "$t")" - "$rss_mb" "(4x the rows of excel_100k)" "-"
      if [ -n "$gnu_time" ] && has af.excel_100k; then
        flat="$(awk -v a="$rss" -v h="$(med af.excel_100k 2)" 'BEGIN { printf "%.1f", (a / h - 1) * 100 }')"
        row "rss 400k vs 100k" - - "$flat %" "within 15 % (flat in rows)" "$(awk -v f="$flat" 'BEGIN { print (f <= 15 && f >= -15 ? "PASS" : "OVER") }')"
      fi ;;
    bundle_unchanged)
      b="$(awk -v r="${REF[bundle_unchanged]}" 'BEGIN { if (r == "nan") print "nan"; else printf "%.6f", r / 3 }')"
      row "$s" "$(fmt "$t")" - "$rss_mb" "<= 1/3 of the reference ($(fmt "${REF[bundle_unchanged]}") s)" "$(verdict "$t" "$b")" ;;
    bundle_one_change)
      row "$s" "$(fmt "$t")" - "$rss_mb" "reported (reference $(fmt "${REF[bundle_one_change]}") s)" - ;;
  esac
done
RATIO=-
if [ -n "$gnu_time" ]; then
  hello_mb="$(fmt "$hello_rss" 0.0009765625 1)"
  [ -n "$ref" ] && RATIO="$(ratio "$hello_rss" "$(med ref.hello 2)")"
  row "rss hello" - - "$hello_mb" "<= 96 MB" "$(verdict "$hello_mb" 96)"
  if has af.check_items_1000; then
    growth="$(awk -v a="$(med af.check_items_1000 2)" -v h="$hello_rss" 'BEGIN { printf "%.1f", (a - h) / 1024 }')"
    RATIO=- row "rss growth" - - "$growth" "<= 10 MB per 1000 steps" "$(verdict "$growth" 10)"
  fi
fi
if [ -e "$tmp/af.check_items_1000.syncs" ]; then
  n="$(cat "$tmp/af.check_items_1000.syncs")"; h="$(cat "$tmp/af.hello.syncs")"
  per="$(awk -v n="$n" -v h="$h" 'BEGIN { printf "%.3f", (n - h) / 1000 }')"
  RATIO=-
  if [ -e "$tmp/ref.check_items_1000.syncs" ]; then
    RATIO="$(ratio "$per" "$(awk -v n="$(cat "$tmp/ref.check_items_1000.syncs")" -v h="$(cat "$tmp/ref.hello.syncs")" \
      'BEGIN { printf "%.3f", (n - h) / 1000 }')")"
  fi
  row "fsyncs/step" - "$per" - "1 per step boundary ($n in the run, $h in hello)" \
    "$(awk -v p="$per" 'BEGIN { print (p <= 1.05 ? "PASS" : "OVER") }')"
fi
echo
echo "spawning '$true_bin' 200 times in a shell loop: $(fmt "$true_s") s (subtracted for process_200)"
echo "reference figures: $ref_source"
if [ -n "$ref" ]; then
  for s in "${scenarios[@]}"; do
    printf '  %-18s reference median %s s, peak RSS %s MB\n' "$s" "$(fmt "${REF[$s]}")" \
      "$(fmt "$(med "ref.$s" 2)" 0.0009765625 1)"
  done
  if [ -e "$tmp/ref.check_items_1000.syncs" ]; then
    echo "  reference syncs: $(cat "$tmp/ref.check_items_1000.syncs") in check_items_1000, $(cat "$tmp/ref.hello.syncs") in hello"
  fi
  echo "ratio: ours / reference (per-step figures for check_items_1000 and process_200; hello_plus100 against the reference's hello)"
fi
