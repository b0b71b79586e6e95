#!/usr/bin/env bash
# The real-DNS test bed (DESIGN.md): runs COMMAND inside a private mount namespace whose
# /etc/hosts, /etc/resolv.conf and /etc/nsswitch.conf are files written here, with a
# dnsmasq on a loopback address as the only nameserver. Needs root, unshare, dnsmasq.
#
#   dns-bed.sh [--blackhole] [--] COMMAND [ARG...]
#   dns-bed.sh --serve ADDRESS DIR
#
# Records (zone bed.test, answered authoritatively; other bed.test names are NXDOMAIN):
#   www.bed.test      A 10.53.0.1 (canonical), with CNAMEs web.bed.test and ftp.bed.test
#   dual.bed.test     A 10.53.0.2 and AAAA fd53::2
#   v6only.bed.test   AAAA fd53::3
#   missing.bed.test  does not exist
# /etc/hosts: localhost, ip6-localhost and "10.53.0.10 files.bed.test files".
# --blackhole: the nameserver is a UDP socket that never answers (glibc waits
# timeout:30 attempts:1), for resolver timeout tests.
# --serve: only the nameserver, for hosts of their own (network namespaces, whose /etc/resolv.conf
# names ADDRESS): dnsmasq in the foreground (it becomes this process; logs on stderr, "started" once
# it answers) on ADDRESS, any address of the namespace it runs in, with the records above plus the
# hosts-format file DIR/extra-hosts (created empty when missing), reread on SIGHUP, so a test can add
# a name and take it away again. DIR/etc gets the hosts, nsswitch.conf and resolv.conf (naming
# ADDRESS) the bed's clients use: copy them into /etc/netns/NAMESPACE/, which `ip netns exec`
# binds over /etc. The files stay in DIR, which the caller owns and removes.
# Exit status: COMMAND's, or 77 when the bed cannot run here (reason on stderr).
set -euo pipefail

blackhole=0
serve=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --blackhole) blackhole=1; shift ;;
    --serve) serve=${2:?--serve ADDRESS DIR}; serve_dir=${3:?--serve ADDRESS DIR}; shift 3; break ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[[ -n "$serve" || $# -gt 0 ]] || { echo "usage: dns-bed.sh [--blackhole] [--] COMMAND [ARG...] | --serve ADDRESS DIR" >&2; exit 2; }

unavailable() { echo "dns-bed: unavailable: $*" >&2; exit 77; }
[[ $(id -u) -eq 0 ]] || unavailable "needs root (unshare --mount, bind mounts, port 53)"
command -v unshare >/dev/null || unavailable "unshare (util-linux) not installed"
dnsmasq=$(command -v dnsmasq || true)
[[ -n "$dnsmasq" ]] || unavailable "dnsmasq not installed (Debian package dnsmasq-base)"

# dnsmasq's configuration: the bed's records, answered on address $1.
records() {
  cat <<CONF
no-resolv
no-hosts
no-poll
bind-interfaces
listen-address=$1
port=53
local=/bed.test/
auth-ttl=0
host-record=www.bed.test,10.53.0.1
cname=web.bed.test,www.bed.test
cname=ftp.bed.test,www.bed.test
host-record=dual.bed.test,10.53.0.2,fd53::2
host-record=v6only.bed.test,fd53::3
CONF
}

# What the bed's resolver reads, besides resolv.conf: its /etc/hosts and /etc/nsswitch.conf, into directory $1.
client_files() {
  cat > "$1/hosts" <<'HOSTS'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
10.53.0.10	files.bed.test files
HOSTS
  printf 'hosts: files dns\nservices: files\nprotocols: files\n' > "$1/nsswitch.conf"
}

if [[ -n "$serve" ]]; then
  [[ -d "$serve_dir" ]] || { echo "dns-bed: --serve: no directory $serve_dir" >&2; exit 2; }
  mkdir -p "$serve_dir/etc"
  client_files "$serve_dir/etc"
  printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$serve" > "$serve_dir/etc/resolv.conf"
  touch "$serve_dir/extra-hosts"
  { records "$serve"; echo "addn-hosts=$serve_dir/extra-hosts"; } > "$serve_dir/dnsmasq.conf"
  exec "$dnsmasq" --keep-in-foreground --log-facility=- --conf-file="$serve_dir/dnsmasq.conf" --pid-file= --user=root
fi

dir=$(mktemp -d /tmp/dns-bed.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f "$dir/dnsmasq.pid" ]] && kill "$(cat "$dir/dnsmasq.pid")" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

client_files "$dir"

# A random 127.53.x.y per run so beds running in parallel do not collide on port 53.
started=0
for _ in 1 2 3 4 5; do
  ns="127.53.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"
  records "$ns" > "$dir/dnsmasq.conf"
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
