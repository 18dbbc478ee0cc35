#!/usr/bin/env bash
# Writes N synthetic plugin bundles, each a Declarative Services component providing one step type
# (synthetic_001 ... synthetic_N), for the hello_plus100 scenario of run.sh.
#
#   bench/gen-plugins.sh --home AETHERFLOW_HOME --out DIR [--count N]
#
# Each jar holds a manifest (Bundle-SymbolicName io.aetherflow.bench.synthetic.NNN, version 1.0.0,
# Import-Package io.aetherflow.api.step, the SCR extender requirement, Service-Component), its
# OSGI-INF component XML and one class compiled with javac against the installation's core-api
# bundle. Jar entries get a fixed date, so the same N gives the same bytes (and plugin-set hash).
set -euo pipefail

home=""
out=""
count=100
while [ "$#" -gt 0 ]; do
  case "$1" in
    --home) home="${2:?--home needs a directory}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --count) count="${2:?--count needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gen-plugins.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$home" ] && [ -n "$out" ] || { echo "gen-plugins.sh: --home and --out are required (see --help)" >&2; exit 2; }
[[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "gen-plugins.sh: --count must be a positive integer, got '$count'" >&2; exit 2; }
api="$(ls "$home"/bundles/aetherflow-core-api-*.jar 2>/dev/null | head -n 1)"
[ -n "$api" ] || { echo "gen-plugins.sh: $home/bundles has no aetherflow-core-api jar; is --home an installation?" >&2; exit 2; }

src="$out/src"
classes="$out/classes"
rm -rf "$src" "$classes"
mkdir -p "$src" "$classes" "$out/jars"
for ((i = 1; i <= count; i++)); do
  n="$(printf '%03d' "$i")"
  dir="$src/io/aetherflow/bench/synthetic$n"
  mkdir -p "$dir"
  cat >"$dir/SyntheticStep.java" <<JAVA
package io.aetherflow.bench.synthetic$n;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;

/** Step type synthetic_$n of a generated benchmark bundle. */
public final class SyntheticStep implements Step {
    @Override
    public StepResult run(StepContext ctx) {
        return StepResult.success(java.util.Map.of("bundle", $i));
    }
}
JAVA
done
find "$src" -name '*.java' >"$out/sources.txt"
javac --release 17 -nowarn -cp "$api" -d "$classes" @"$out/sources.txt"

for ((i = 1; i <= count; i++)); do
  n="$(printf '%03d' "$i")"
  pkg="io.aetherflow.bench.synthetic$n"
  stage="$out/stage/$n"
  rm -rf "$stage"
  mkdir -p "$stage/META-INF" "$stage/OSGI-INF" "$stage/io/aetherflow/bench"
  cp -r "$classes/io/aetherflow/bench/synthetic$n" "$stage/io/aetherflow/bench/"
  cat >"$stage/OSGI-INF/$pkg.SyntheticStep.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="$pkg.SyntheticStep">
  <property name="aetherflow.step.type" type="String" value="synthetic_$n"/>
  <service>
    <provide interface="io.aetherflow.api.step.Step"/>
  </service>
  <implementation class="$pkg.SyntheticStep"/>
</scr:component>
XML
  cat >"$stage/META-INF/MANIFEST.MF" <<MF
Manifest-Version: 1.0
Bundle-ManifestVersion: 2
Bundle-SymbolicName: io.aetherflow.bench.synthetic.$n
Bundle-Version: 1.0.0
Bundle-Name: AetherFlow benchmark synthetic bundle $n
Import-Package: io.aetherflow.api.step;version="[1.3,2)"
Private-Package: $pkg
Provide-Capability: osgi.service;objectClass:List<String>="io.aetherflow.api.step.Step";uses:="io.aetherflow.api.step"
Require-Capability: osgi.extender;filter:="(&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0)))"
Service-Component: OSGI-INF/$pkg.SyntheticStep.xml

MF
  find "$stage" -exec touch -h -d '2026-01-01 00:00:00 UTC' {} +
  rm -f "$out/jars/synthetic-$n-1.0.0.jar"
  # zip (one process per jar, no JVM start) when present; the manifest is the first entry either way
  if command -v zip >/dev/null 2>&1; then
    (cd "$stage" && zip -q -X -r "$out/jars/synthetic-$n-1.0.0.jar" META-INF/MANIFEST.MF OSGI-INF io)
  else
    (cd "$stage" && jar --create --file "$out/jars/synthetic-$n-1.0.0.jar" --manifest META-INF/MANIFEST.MF OSGI-INF io)
  fi
done
rm -rf "$out/stage"
echo "$count bundles in $out/jars"
