#!/usr/bin/env python3
"""Generates src/Actors/Resolution/Idna/IdnaTables.g.cs from this machine's python3.

Agent encodes host names exactly as CPython's `idna` codec (Lib/encodings/idna.py) does, so
the tables come from the very modules that codec calls, evaluated for every code point:

- `stringprep` (RFC 3454 over Unicode 3.2): B.1, B.2, the C tables nameprep prohibits, D.1, D.2.
  B.2 is taken as CPython computes it, `map_table_b2`, whose case folding is `str.lower()` of
  the running Python's Unicode (14.0 in 3.11), not of 3.2.
- `unicodedata.ucd_3_2_0.normalize('NFKC', ...)` as CPython implements it: 3.2 decompositions
  (none for code points unassigned in 3.2), but canonical ordering and composition with the
  combining classes and composition pairs of the running Unicode database. So the table holds
  each code point's full 3.2 NFKD, and the current combining classes and primary composites.
- `str.isprintable()` for the prohibited code points (the repr in "Invalid character '\\x80'")
  and `str.isspace()` (what `str.strip()` removes in socket.getfqdn).

Usage:
    python3 tools/idna/gen_stringprep_tables.py          # rewrites the generated file
    python3 tools/idna/gen_stringprep_tables.py --check  # exit 1 if the file is not what it would write
"""
import os
import stringprep
import sys
import unicodedata
from unicodedata import ucd_3_2_0

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(ROOT, "src", "Actors", "Resolution", "Idna", "IdnaTables.g.cs")
COMMAND = "python3 tools/idna/gen_stringprep_tables.py"
ALL = range(0x110000)
HANGUL = range(0xAC00, 0xD7A4)  # decomposed algorithmically, as unicodedata.c does


def ranges(predicate):
    """[first, last] pairs of the code points where predicate holds."""
    out = []
    start = None
    for cp in ALL:
        if predicate(cp):
            if start is None:
                start = cp
        elif start is not None:
            out += [start, cp - 1]
            start = None
    if start is not None:
        out += [start, ALL[-1]]
    return out


def single_runs(mapping, strides):
    """(first, last, stride, delta) runs of one-code-point mappings with a constant delta
    (without the stride when strides is (1,))."""
    out = []
    for cp in sorted(mapping):
        delta = mapping[cp] - cp
        if out:
            first, last, stride, d = out[-1]
            if d == delta and (cp - last == stride or (first == last and cp - last in strides)):
                out[-1] = (first, cp, cp - first if first == last else stride, d)
                continue
        out.append((cp, cp, 1, delta))
    if strides == (1,):
        out = [(first, last, delta) for first, last, _, delta in out]
    return [x for run in out for x in run]


def flat(mapping):
    """[code point, count, target...] for mappings to several code points."""
    return [x for cp in sorted(mapping) for x in [cp, len(mapping[cp]), *mapping[cp]]]


def prohibited(cp):
    c = chr(cp)
    return (stringprep.in_table_c12(c) or stringprep.in_table_c22(c) or stringprep.in_table_c3(c)
            or stringprep.in_table_c4(c) or stringprep.in_table_c5(c) or stringprep.in_table_c6(c)
            or stringprep.in_table_c7(c) or stringprep.in_table_c8(c) or stringprep.in_table_c9(c))


def split(mapping):
    singles = {cp: ord(v) for cp, v in mapping.items() if len(v) == 1}
    multis = {cp: [ord(x) for x in v] for cp, v in mapping.items() if len(v) != 1}
    return singles, multis


def tables():
    b2 = {}
    nfkd = {}
    for cp in ALL:
        c = chr(cp)
        mapped = stringprep.map_table_b2(c)
        if mapped != c:
            b2[cp] = mapped
        if cp not in HANGUL:
            d = ucd_3_2_0.normalize("NFKD", c)
            if d != c:
                nfkd[cp] = d
    b2_single, b2_multi = split(b2)
    nfkd_single, nfkd_multi = split(nfkd)

    ccc = []
    for cp in ALL:
        k = unicodedata.combining(chr(cp))
        if k and ccc and ccc[-1][1] == cp - 1 and ccc[-1][2] == k:
            ccc[-1][1] = cp
        elif k:
            ccc.append([cp, cp, k])

    compositions = []
    for cp in ALL:
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        parts = [int(x, 16) for x in d.split()]
        c = chr(cp)
        # A primary composite: two code points, a starter first, not excluded from composition.
        if len(parts) == 2 and unicodedata.combining(chr(parts[0])) == 0 \
                and unicodedata.normalize("NFC", unicodedata.normalize("NFD", c)) == c:
            compositions += [parts[0], parts[1], cp]

    return [
        ("MappedToNothing", "RFC 3454 table B.1, <c>stringprep.in_table_b1</c>: [first, last] ranges.",
         ranges(lambda cp: stringprep.in_table_b1(chr(cp)))),
        ("CaseFoldRuns", "<c>stringprep.map_table_b2</c> to one code point: (first, last, stride, delta) runs.",
         single_runs(b2_single, (1, 2))),
        ("CaseFoldMulti", "<c>stringprep.map_table_b2</c> to several code points: (code point, count, targets...).",
         flat(b2_multi)),
        ("Prohibited", "What nameprep prohibits (tables C.1.2, C.2.2, C.3 to C.9): [first, last] ranges.",
         ranges(prohibited)),
        ("RandAL", "RFC 3454 table D.1 (bidi R or AL in Unicode 3.2): [first, last] ranges.",
         ranges(lambda cp: stringprep.in_table_d1(chr(cp)))),
        ("LeftToRight", "RFC 3454 table D.2 (bidi L in Unicode 3.2): [first, last] ranges.",
         ranges(lambda cp: stringprep.in_table_d2(chr(cp)))),
        ("DecompositionRuns", "<c>ucd_3_2_0.normalize('NFKD', c)</c> to one code point (Hangul aside): (first, last, delta) runs.",
         single_runs(nfkd_single, (1,))),
        ("DecompositionMulti", "<c>ucd_3_2_0.normalize('NFKD', c)</c> to several code points: (code point, count, targets...).",
         flat(nfkd_multi)),
        ("CombiningClasses", f"Canonical combining classes of Unicode {unicodedata.unidata_version}, which CPython's 3.2 normalization sorts and composes with: (first, last, class).",
         [x for run in ccc for x in run]),
        ("Compositions", f"Primary composites of Unicode {unicodedata.unidata_version} (CPython composes with them under ucd_3_2_0 too): (first, second, composite).",
         compositions),
        ("PrintableProhibited", "Prohibited code points that <c>str.isprintable()</c> (so repr shows them as they are): [first, last] ranges.",
         ranges(lambda cp: prohibited(cp) and chr(cp).isprintable())),
        ("Whitespace", "<c>str.isspace()</c>, what <c>str.strip()</c> removes: [first, last] ranges.",
         ranges(lambda cp: chr(cp).isspace())),
    ]


def render():
    out = [
        "// <auto-generated>",
        f"//   Generated by tools/idna/gen_stringprep_tables.py from the stringprep and unicodedata modules of",
        f"//   a Python with Unicode {unicodedata.unidata_version} (and ucd_3_2_0 for Unicode {ucd_3_2_0.unidata_version}); any such Python generates the same file.",
        f"//   Do not edit: regenerate with `{COMMAND}`.",
        "// </auto-generated>",
        "namespace Agent.Actors.Resolution.Idna;",
        "",
        "internal static partial class IdnaTables",
        "{",
        f"    /// <summary>The Unicode version of the Python the tables were generated from (its case mapping and composition data).</summary>",
        f"    public const string UnicodeVersion = \"{unicodedata.unidata_version}\";",
    ]
    for name, doc, values in tables():
        out += ["", f"    /// <summary>{doc}</summary>", f"    public static ReadOnlySpan<int> {name} =>", "    ["]
        per_line = 12
        for i in range(0, len(values), per_line):
            out.append("        " + ", ".join(f"0x{v:X}" if v >= 0 else f"-0x{-v:X}" for v in values[i:i + per_line]) + ",")
        out.append("    ];")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        with open(OUTPUT, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{os.path.relpath(OUTPUT, ROOT)} is not what {COMMAND} generates here", file=sys.stderr)
                sys.exit(1)
        return
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


main()
