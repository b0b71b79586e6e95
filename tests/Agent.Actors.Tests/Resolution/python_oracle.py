"""Runs socket-module calls given as JSON and prints their results as JSON.

Input (file argument or stdin): a JSON list of calls, each [function, arg...].
Output: a JSON list with, per call, the value Python returned (tuples as lists,
enums by name, bytes as lowercase hex) or {"error", "errno", "strerror"}, errno null
where Python's is None (Agent's PythonJson writes the same three keys for every error).
"""
import binascii
import enum
import json
import socket
import sys


def conv(value):
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [conv(v) for v in value]
    if isinstance(value, bytes):
        return binascii.hexlify(value).decode()
    return value


def host_addresses(host, order):
    def family(af):
        return [e[4][0] for e in socket.getaddrinfo(host, None, af, socket.SOCK_STREAM)]
    v4_error = None
    v4, v6 = [], []
    try:
        v4 = family(socket.AF_INET)
    except OSError as e:
        v4_error = e
    try:
        v6 = family(socket.AF_INET6)
    except OSError:
        if v4_error is not None:
            raise v4_error
    merged = v6 + v4 if order == "Ipv6First" else v4 + v6
    return list(dict.fromkeys(merged))


def call(fn, *args):
    if fn == "getnameinfo":
        return socket.getnameinfo(tuple(args[0]), args[1])
    if fn == "inet_ntoa":
        return socket.inet_ntoa(binascii.unhexlify(args[0]))
    if fn == "inet_ntop":
        return socket.inet_ntop(args[0], binascii.unhexlify(args[1]))
    if fn == "hostaddresses":
        return host_addresses(*args)
    if fn in ("getservbyname", "getservbyport") and args[-1] is None:
        args = args[:-1]  # the optional protocol name has no None form
    return getattr(socket, fn)(*args)


def run(spec):
    try:
        return conv(call(*spec))
    except Exception as e:  # every failure is data here
        if isinstance(e, OSError) and e.errno is not None:
            return {"error": type(e).__name__, "errno": e.errno, "strerror": e.strerror}
        return {"error": type(e).__name__, "errno": None, "strerror": str(e)}


def main():
    source = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    calls = json.load(source)
    json.dump([run(c) for c in calls], sys.stdout)


main()
