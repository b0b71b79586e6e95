#!/usr/bin/env bash
# The project's test command (the README names it; .ci/run calls it).
#
# Builds Agent.sln once in Release (warnings are errors), then runs every test project of
# the solution one after another with `dotnet test --no-build`, each with its own TRX
# result file. Projects run sequentially on purpose: the machines have 2 cores and the
# real test beds (dnsmasq on a loopback address, network namespaces) must not collide.
# Ends with exactly one line "N passed, N failed" (", N skipped" when any were skipped),
# totals over all test projects. Exit status 0 only when the build succeeded, every test
# project ran to completion and no test failed.
#
# Usage: tests/run.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Ask]
# Environment: AGENT_TEST_TIME_FACTOR (default 1; CI uses 3) scales TestKit timeouts;
#              AGENT_TEST_HANG_TIMEOUT (default 10m) aborts a test project whose test hangs.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export AGENT_TEST_TIME_FACTOR="${AGENT_TEST_TIME_FACTOR:-1}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
hang_timeout="${AGENT_TEST_HANG_TIMEOUT:-10m}"

results="$(mktemp -d "${TMPDIR:-/tmp}/agent-tests.XXXXXX")"
trap 'rm -rf "$results"' EXIT

# Only a build failure reaches here before any test ran: it counts as one failure so the
# closing line never reads as a clean run.
fail_build() {
    echo
    echo "BUILD FAILED: $1 (counted as 1 failure; no test ran)"
    echo "0 passed, 1 failed"
    exit 1
}

# Test projects = solution projects that declare IsTestProject or reference the test SDK.
mapfile -t sln_projects < <(dotnet sln Agent.sln list 2>/dev/null | tr '\\' '/' | grep -E '\.csproj$')
[ "${#sln_projects[@]}" -gt 0 ] || fail_build "could not list the projects of Agent.sln"
test_projects=()
for p in "${sln_projects[@]}"; do
    if grep -qE '<IsTestProject>\s*true\s*</IsTestProject>|"Microsoft\.NET\.Test\.Sdk"' "$p"; then
        test_projects+=("$p")
    fi
done
# A test project on disk but missing from the solution would silently never run.
for p in tests/*/*.csproj; do
    [ -e "$p" ] || continue
    if ! printf '%s\n' "${sln_projects[@]}" | grep -qxF "$p"; then
        fail_build "$p is not in Agent.sln (add it with: dotnet sln Agent.sln add $p)"
    fi
done

echo "== build: dotnet build Agent.sln -c Release"
dotnet build Agent.sln -c Release -nologo -v:minimal || fail_build "dotnet build Agent.sln -c Release exited non-zero"

echo
echo "== test: ${#test_projects[@]} test project(s), AGENT_TEST_TIME_FACTOR=$AGENT_TEST_TIME_FACTOR"
i=0
for p in "${test_projects[@]}"; do
    i=$((i + 1))
    name="$(basename "$p" .csproj)"
    dir="$results/$i-$name"
    mkdir -p "$dir"
    echo
    echo "-- $name ($p)"
    dotnet test "$p" -c Release --no-build -nologo \
        --results-directory "$dir" \
        --logger "trx;LogFileName=$name.trx" \
        --logger "console;verbosity=normal" \
        --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none \
        "$@"
    echo "$?" > "$dir/exit-code"
done

# Totals come from the TRX files, not from the console, so interleaved output cannot skew
# them. A project that exited non-zero without a failed test (crashed or hung test host,
# missing TRX) counts as one failure.
echo
python3 - "$results" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
skips, failures = [], []

for d in sorted(glob.glob(os.path.join(sys.argv[1], "*")), key=lambda s: int(os.path.basename(s).split("-", 1)[0])):
    project = os.path.basename(d).split("-", 1)[1]
    with open(os.path.join(d, "exit-code")) as f:
        rc = int(f.read().strip() or "1")
    trx = os.path.join(d, project + ".trx")
    project_failed = 0
    run_errors = []
    if os.path.exists(trx):
        root = ET.parse(trx).getroot()
        for r in root.iterfind(".//t:Results/t:UnitTestResult", ns):
            outcome = r.get("outcome", "")
            test = r.get("testName", "?")
            msg = r.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            if outcome == "Passed":
                passed += 1
            elif outcome == "NotExecuted":
                skipped += 1
                skips.append(f"{project}: {test}: {msg or '(no reason given)'}")
            else:
                project_failed += 1
                failures.append(f"{project}: {test} [{outcome}]: {msg.splitlines()[0] if msg else ''}")
        for info in root.iterfind(".//t:ResultSummary/t:RunInfos/t:RunInfo", ns):
            text = info.findtext("t:Text", default="", namespaces=ns).strip()
            if "abort" in text.lower() or "crash" in text.lower():
                run_errors.append(text.splitlines()[0])
    if rc != 0 and project_failed == 0:
        project_failed = 1
        why = "; ".join(run_errors) or ("no TRX written" if not os.path.exists(trx) else "no failed test recorded")
        failures.append(f"{project}: dotnet test exited {rc}: {why} (see its output above)")
    failed += project_failed

if skips:
    print(f"Skipped tests ({len(skips)}):")
    for s in skips:
        print(f"  SKIP {s}")
if failures:
    print(f"Failures ({len(failures)}):")
    for s in failures:
        print(f"  FAIL {s}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
PY
