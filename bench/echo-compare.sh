#!/usr/bin/env bash
# Echo services side by side, one run: RawEcho, echo_epoll (../shared/bench), the Akka.IO echo server
# (bench/Agent.Bench.AkkaIo) and one or more agent builds, all pinned to CPU 1, echoload on CPU 0,
# interleaved by compare.sh. Prints compare.sh's markdown table; every run's JSON goes to RESULTS.
#
# usage: bench/echo-compare.sh [-r ROUNDS] [-d SECONDS] [-c CASEFILE] [-o RESULTS.jsonl] [-s BASELINES] NAME=AGENT_DLL...
#   -s BASELINES    which baselines run beside the agents (default raw,epoll,akkaio); an idle server
#                   still takes some of CPU 1 (an idle Akka.NET process wakes every 10 ms), so an A/B
#                   of two agent builds is cleaner with -s raw
#   NAME=AGENT_DLL  an agent build to measure, e.g. after=src/Agent/bin/Release/net10.0/agent.dll
#                   before=/tmp/agent-premove/src/Agent/bin/Release/net10.0/agent.dll
# Builds what it needs first: the shared tools in a temp copy (shared/ may be read-only) and the
# Akka.IO server. Each server runs once per transport; each agent runs once with echo services on
# tcp, udp and unix (log level Warning), as `agent run` is used, its remoting and API on free ports
# (so several builds, or a node already running, do not collide).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 dur=2 casefile="" out="" baselines="raw,epoll,akkaio"
while getopts "r:d:c:o:s:h" o; do
  case $o in
    r) rounds=$OPTARG ;;
    d) dur=$OPTARG ;;
    c) casefile=$OPTARG ;;
    o) out=$OPTARG ;;
    s) baselines=$OPTARG ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "echo-compare.sh: name at least one agent build (NAME=AGENT_DLL)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/echo-compare.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$root/../shared/bench/." "$work/tools/"
make -s -C "$work/tools" echoload echo_epoll rawecho >/dev/null
dotnet build -c Release -nologo -v:q "$root/bench/Agent.Bench.AkkaIo" -o "$work/akkaio" >/dev/null

if [ -z "$casefile" ]; then
  casefile="$work/cases.txt"
  printf '%s\n' "tcp 1 16 1" "tcp 64 16 16" "tcp 64 4096 1" "tcp 64 4096 16" \
    "udp 1 16 1" "udp 16 1400 1" "unix 1 16 1" "unix 64 16 1" > "$casefile"
fi

# Starts a server pinned to CPU 1 and waits (10 s) until its output has a line matching $2.
start() {
  local log="$work/$1.log" pattern="$2"; shift 2
  taskset -c 1 "$@" > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    grep -Eq "$pattern" "$log" && return
    sleep 0.1
  done
  echo "echo-compare.sh: $(basename "$log" .log) did not start: $(cat "$log")" >&2
  exit 1
}
# The port in the first line of server $1's output that matches $2.
port() { grep -m1 -E "$2" "$work/$1.log" | sed -E 's/.*:([0-9]+)$/\1/'; }

servers=()
has() { [[ ",$baselines," == *",$1,"* ]]; }
for t in tcp udp; do
  if has raw; then
    start "raw-$t" listening "$work/tools/RawEcho/bin/Release/net10.0/RawEcho" "$t" 127.0.0.1:0
    servers+=("raw,$t,127.0.0.1:$(port "raw-$t" listening)")
  fi
  if has epoll; then
    start "epoll-$t" listening "$work/tools/echo_epoll" "$t" 127.0.0.1:0
    servers+=("epoll,$t,127.0.0.1:$(port "epoll-$t" listening)")
  fi
  if has akkaio; then
    start "akkaio-$t" listening "$work/akkaio/Agent.Bench.AkkaIo" "$t" 127.0.0.1:0
    servers+=("akkaio,$t,127.0.0.1:$(port "akkaio-$t" listening)")
  fi
done
if has raw; then
  start raw-unix listening "$work/tools/RawEcho/bin/Release/net10.0/RawEcho" unix "$work/raw.sock"
  servers+=("raw,unix,$work/raw.sock")
fi
if has epoll; then
  start epoll-unix listening "$work/tools/echo_epoll" unix "$work/epoll.sock"
  servers+=("epoll,unix,$work/epoll.sock")
fi

for build in "$@"; do
  name="${build%%=*}" dll="$(cd "$(dirname "${build#*=}")" && pwd)/$(basename "${build#*=}")"
  cat > "$work/$name.json" <<JSON
{"node": {"logLevel": "Warning", "remote": "127.0.0.1:0"}, "api": {"listen": "127.0.0.1:0"}, "echo": ["tcp:127.0.0.1:0", "udp:127.0.0.1:0", "unix:$work/$name.sock"], "echoChunk": 65536}
JSON
  start "$name" "listening unix" dotnet "$dll" run --config "$work/$name.json"
  until grep -q "listening udp" "$work/$name.log" && grep -q "listening tcp" "$work/$name.log"; do sleep 0.1; done
  servers+=("$name,tcp,127.0.0.1:$(port "$name" 'listening tcp')" "$name,udp,127.0.0.1:$(port "$name" 'listening udp')"
    "$name,unix,$work/$name.sock")
done

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# One unrecorded pass warms every server up (JIT, pools), then the measured pass.
# compare.sh traces each echoload command on stderr: keep only its real messages.
"$work/tools/compare.sh" -p 0 -r 1 -d 1 -w 1 -c "$casefile" "${servers[@]}" > /dev/null 2> >(grep -v '^+ ' >&2)
"$work/tools/compare.sh" -p 0 -r "$rounds" -d "$dur" -w 1 -c "$casefile" ${out:+-o "$out"} "${servers[@]}" 2> >(grep -v '^+ ' >&2)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
