#!/usr/bin/env bash
# Full-mesh checks end to end (issue 10, second part): N real `agent run` nodes probing each other's tcp and udp echo
# services through POST /api/checks, against N blackbox_exporters (one per node) doing the same probes, N = 2, 4, 8, in
# one run (bench/Agent.Bench.Checks' mesh command, docs/benchmarks.md section 5). Installs blackbox_exporter if missing
# (Debian's prometheus-blackbox-exporter; that needs root), builds the agent and the bench, and runs the driver on its
# own core; the driver pins every node and every exporter to the node CPUs itself.
#
#   bench/mesh.sh [mesh options, e.g. --nodes 2 4 --rounds 5 --warmup 5]
#
# Environment: NODE_CPUS (default 0, taskset's list), DRIVER_CPU (default 1). Writes the JSON report to
# bench/out/mesh-TIME.json unless --output is given; prints the tables. About 5 minutes with the defaults.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_cpus=${NODE_CPUS:-0}
driver_cpu=${DRIVER_CPU:-1}
out=$root/bench/out
mkdir -p "$out"

if ! command -v prometheus-blackbox-exporter >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { echo "mesh.sh: prometheus-blackbox-exporter is missing and installing it needs root" >&2; exit 2; }
  echo "mesh.sh: installing prometheus-blackbox-exporter" >&2
  # Debian's package starts no daemon here (no init system); the bench starts its own exporters.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-blackbox-exporter >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-blackbox-exporter >&2; }
fi
for tool in taskset dotnet; do
  command -v "$tool" >/dev/null || { echo "mesh.sh: $tool not found" >&2; exit 2; }
done

dotnet build -c Release -nologo -v q "$root/src/Agent" >&2
dotnet build -c Release -nologo -v q "$root/bench/Agent.Bench.Checks" >&2

args=("$@")
if [[ " ${args[*]} " != *" --output "* ]]; then
  args+=(--output "$out/mesh-$(date +%Y%m%d-%H%M%S).json")
fi
exec taskset -c "$driver_cpu" dotnet "$root/bench/Agent.Bench.Checks/bin/Release/net10.0/Agent.Bench.Checks.dll" mesh \
  --agent "$root/src/Agent/bin/Release/net10.0/agent.dll" \
  --blackbox "$(command -v prometheus-blackbox-exporter)" \
  --node-cpus "$node_cpus" \
  "${args[@]}"
