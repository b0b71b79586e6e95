#!/usr/bin/env bash
# The real-DNS test bed (DESIGN.md): runs COMMAND inside a private mount namespace whose
# /etc/hosts, /etc/resolv.conf and /etc/nsswitch.conf are files written here, with a
# dnsmasq on a loopback address as the only nameserver. Needs root, unshare, dnsmasq.
#
#   dns-bed.sh [--blackhole] [--] COMMAND [ARG...]
#
# Records (zone bed.test, answered authoritatively; other bed.test names are NXDOMAIN):
#   www.bed.test      A 10.53.0.1 (canonical), with CNAMEs web.bed.test and ftp.bed.test
#   dual.bed.test     A 10.53.0.2 and AAAA fd53::2
#   v6only.bed.test   AAAA fd53::3
#   missing.bed.test  does not exist
# /etc/hosts: localhost, ip6-localhost and "10.53.0.10 files.bed.test files".
# --blackhole: the nameserver is a UDP socket that never answers (glibc waits
# timeout:30 attempts:1), for resolver timeout tests.
# Exit status: COMMAND's, or 77 when the bed cannot run here (reason on stderr).
set -euo pipefail

blackhole=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --blackhole) blackhole=1; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { echo "usage: dns-bed.sh [--blackhole] [--] COMMAND [ARG...]" >&2; exit 2; }

unavailable() { echo "dns-bed: unavailable: $*" >&2; exit 77; }
[[ $(id -u) -eq 0 ]] || unavailable "needs root (unshare --mount, bind mounts, port 53)"
command -v unshare >/dev/null || unavailable "unshare (util-linux) not installed"
dnsmasq=$(command -v dnsmasq || true)
[[ -n "$dnsmasq" ]] || unavailable "dnsmasq not installed (Debian package dnsmasq-base)"

dir=$(mktemp -d /tmp/dns-bed.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f "$dir/dnsmasq.pid" ]] && kill "$(cat "$dir/dnsmasq.pid")" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

cat > "$dir/hosts" <<'HOSTS'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
10.53.0.10	files.bed.test files
HOSTS
printf 'hosts: files dns\nservices: files\nprotocols: files\n' > "$dir/nsswitch.conf"

# A random 127.53.x.y per run so beds running in parallel do not collide on port 53.
started=0
for _ in 1 2 3 4 5; do
  ns="127.53.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"
  cat > "$dir/dnsmasq.conf" <<CONF
no-resolv
no-hosts
no-poll
bind-interfaces
listen-address=$ns
port=53
local=/bed.test/
auth-ttl=0
host-record=www.bed.test,10.53.0.1
cname=web.bed.test,www.bed.test
cname=ftp.bed.test,www.bed.test
host-record=dual.bed.test,10.53.0.2,fd53::2
host-record=v6only.bed.test,fd53::3
CONF
  if "$dnsmasq" --conf-file="$dir/dnsmasq.conf" --pid-file="$dir/dnsmasq.pid" --user=root 2>"$dir/dnsmasq.err"; then
    started=1
    break
  fi
done
[[ $started -eq 1 ]] || unavailable "dnsmasq did not start: $(cat "$dir/dnsmasq.err")"

if [[ $blackhole -eq 1 ]]; then
  hole="127.54.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"
  # Bound but never read: queries vanish without an ICMP port-unreachable.
  exec 3< <(exec python3 -c '
import signal, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
print("ready", flush=True)
signal.pause()' "$hole")
  pids+=($!)
  read -r ready <&3
  [[ "$ready" == ready ]] || unavailable "blackhole nameserver did not start"
  printf 'nameserver %s\noptions timeout:30 attempts:1\n' "$hole" > "$dir/resolv.conf"
else
  printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$ns" > "$dir/resolv.conf"
fi

set +e
unshare --mount --propagation private -- sh -c '
  mount --bind "$1/hosts" /etc/hosts &&
  mount --bind "$1/resolv.conf" /etc/resolv.conf &&
  mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf || exit 77
  shift
  exec "$@"' dns-bed "$dir" "$@"
status=$?
set -e
exit $status
