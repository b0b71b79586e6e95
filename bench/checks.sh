#!/usr/bin/env bash
# Probes per second (issue 10): the agent's ProbeRunner against blackbox_exporter, side by side in one run
# (bench/Agent.Bench.Checks, docs/benchmarks.md section 5). Installs what is missing (Debian's
# prometheus-blackbox-exporter and dnsmasq-base), builds ../shared/bench's echo_epoll and the bench, and runs it
# pinned to the load core; the bench pins the probers to the probe core itself.
#
#   bench/checks.sh [Agent.Bench.Checks options, e.g. --rounds 3 --duration 3]
#
# Environment: PROBE_CPU (default 0), LOAD_CPU (default 1); AGENT_SHARED, the shared/ directory (default: beside
# the clone). Writes the JSON report to bench/out/checks-TIME.json unless --output is given; prints the tables.
# Needs root: the probing node runs in its own mount namespace (its own /etc/hosts and resolv.conf) and dnsmasq
# listens on port 53 of a loopback address.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${AGENT_SHARED:-$root/../shared}
probe_cpu=${PROBE_CPU:-0}
load_cpu=${LOAD_CPU:-1}
out=$root/bench/out
mkdir -p "$out"

[[ $(id -u) -eq 0 ]] || { echo "checks.sh: needs root (unshare --mount, bind mounts, dnsmasq on port 53)" >&2; exit 2; }
missing=()
command -v prometheus-blackbox-exporter >/dev/null || missing+=(prometheus-blackbox-exporter)
command -v dnsmasq >/dev/null || missing+=(dnsmasq-base)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "checks.sh: installing ${missing[*]}" >&2
  # Debian's package starts no daemon here (no init system); the bench starts its own exporter.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; }
fi
for tool in unshare taskset cc dotnet; do
  command -v "$tool" >/dev/null || { echo "checks.sh: $tool not found" >&2; exit 2; }
done

# The neutral target both probe: the C epoll echo server, built from the shared kit (its directory is read-only).
echo_src=$shared/bench/echo_epoll.c
[[ -f $echo_src ]] || { echo "checks.sh: $echo_src not found (set AGENT_SHARED)" >&2; exit 2; }
if [[ ! -x $out/echo_epoll || $echo_src -nt $out/echo_epoll ]]; then
  cc -O2 -Wall -Wextra -o "$out/echo_epoll" "$echo_src"
fi

dotnet build -c Release -nologo -v q "$root/bench/Agent.Bench.Checks" >&2

args=("$@")
if [[ " ${args[*]} " != *" --output "* ]]; then
  args+=(--output "$out/checks-$(date +%Y%m%d-%H%M%S).json")
fi
exec taskset -c "$load_cpu" dotnet "$root/bench/Agent.Bench.Checks/bin/Release/net10.0/Agent.Bench.Checks.dll" \
  --echo-server "$out/echo_epoll" \
  --blackbox "$(command -v prometheus-blackbox-exporter)" \
  --dnsmasq "$(command -v dnsmasq)" \
  --probe-cpu "$probe_cpu" --load-cpu "$load_cpu" \
  "${args[@]}"
