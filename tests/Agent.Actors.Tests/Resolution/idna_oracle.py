"""Encodes host names with CPython's idna codec, as socket.getaddrinfo does before calling libc.

Input (file argument): a JSON list of names, each a list of code points (so lone surrogates
travel safely). Output: a JSON list with, per name, {"ok": the encoded ASCII text} or
{"error": exception type, "message": str(exception)}.
"""
import json
import sys


def encode(code_points):
    try:
        return {"ok": "".join(map(chr, code_points)).encode("idna").decode("ascii")}
    except Exception as e:  # every failure is data here
        return {"error": type(e).__name__, "message": str(e)}


def main():
    with open(sys.argv[1]) as source:
        names = json.load(source)
    json.dump([encode(n) for n in names], sys.stdout)


main()
