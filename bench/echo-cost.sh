#!/usr/bin/env bash
# What an echo server spends per echoed message: system calls, context switches and CPU time, counted by
# `perf stat` on the server's process while echoload drives one case. Same pinning as echo-compare.sh
# (server on CPU 1, echoload on CPU 0); each server runs alone, one after another, RUNS times in rounds.
#
# usage: bench/echo-cost.sh [-n RUNS] [-c "TRANSPORT CONNS SIZE DEPTH"] NAME=AGENT_DLL|raw...
#   -n RUNS   rounds over the servers (default 2)
#   -c CASE   the echoload case (default "tcp 64 16 16"; transport tcp or unix)
#   raw       RawEcho from ../shared/bench; NAME=AGENT_DLL an agent build (`agent run`, log level Warning)
# Needs perf (Debian: linux-perf). Prints one line per run: msgs/s, p99, system calls, context switches and
# CPU milliseconds per 1,000 messages, measured over 3 s in the middle of a 4 s load.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=2 case="tcp 64 16 16"
while getopts "n:c:h" o; do
  case $o in
    n) runs=$OPTARG ;;
    c) case=$OPTARG ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "echo-cost.sh: name at least one server (raw or NAME=AGENT_DLL)" >&2; exit 2; }
command -v perf >/dev/null || { echo "echo-cost.sh: perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
read -r transport conns size depth <<<"$case"
[[ $transport == tcp || $transport == unix ]] || { echo "echo-cost.sh: transport must be tcp or unix, got '$transport'" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/echo-cost.XXXXXX")"
pid=""
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cp -r "$root/../shared/bench/." "$work/tools/"
make -s -C "$work/tools" echoload rawecho >/dev/null

# Starts server $1 (raw or a dll) pinned to CPU 1; sets pid and target.
start() {
  local log="$work/server.log"
  rm -f "$work/echo.sock"
  if [ "$1" = raw ]; then
    if [ "$transport" = tcp ]; then
      taskset -c 1 "$work/tools/RawEcho/bin/Release/net10.0/RawEcho" tcp 127.0.0.1:0 > "$log" 2>&1 &
    else
      taskset -c 1 "$work/tools/RawEcho/bin/Release/net10.0/RawEcho" unix "$work/echo.sock" > "$log" 2>&1 &
    fi
    pid=$!
    pattern="listening"
  else
    cat > "$work/agent.json" <<JSON
{"node": {"logLevel": "Warning", "remote": "127.0.0.1:0"}, "api": {"listen": "127.0.0.1:0"}, "echo": ["$transport:$( [ "$transport" = tcp ] && echo 127.0.0.1:0 || echo "$work/echo.sock")"]}
JSON
    taskset -c 1 dotnet "$1" run --config "$work/agent.json" > "$log" 2>&1 &
    pid=$!
    pattern="listening $transport"
  fi
  for _ in $(seq 100); do
    grep -q "$pattern" "$log" && break
    sleep 0.1
  done
  grep -q "$pattern" "$log" || { echo "echo-cost.sh: the server did not start: $(cat "$log")" >&2; exit 1; }
  if [ "$transport" = tcp ]; then
    target="tcp 127.0.0.1:$(grep -m1 "$pattern" "$log" | sed -E 's/.*:([0-9]+)$/\1/')"
  else
    target="unix $work/echo.sock"
  fi
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); case: $case; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$runs"); do
  for server in "$@"; do
    name="${server%%=*}" what="${server#*=}"
    start "$what"
    # shellcheck disable=SC2086
    taskset -c 0 "$work/tools/echoload" --conns "$conns" --size "$size" --depth "$depth" --duration 4 --warmup 2 --json $target > "$work/load.json" &
    load=$!
    sleep 2.5
    perf stat -e raw_syscalls:sys_enter,context-switches,task-clock -x, -o "$work/perf.csv" -p "$pid" -- sleep 3 >/dev/null 2>&1
    wait "$load"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
    python3 - "$name" "$round" "$work/load.json" "$work/perf.csv" <<'PY'
import json, sys
name, round_, load_path, perf_path = sys.argv[1:]
load = json.load(open(load_path))
counts = {}
for line in open(perf_path):
    cells = line.strip().split(",")
    if len(cells) > 2 and cells[0][:1].isdigit():
        counts[cells[2]] = float(cells[0])
msgs = load["msgs_per_s"] * 3
print(f"{name} (run {round_}): {load['msgs_per_s']:,.0f} msgs/s, p99 {load['lat_us_p99']:.0f} us; per message "
      f"{counts['raw_syscalls:sys_enter'] / msgs:.3f} system calls, {counts['context-switches'] / msgs:.4f} context "
      f"switches; {counts['task-clock'] / msgs * 1000:.3f} CPU ms per 1,000 messages")
PY
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
