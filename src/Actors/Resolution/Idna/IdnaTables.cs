using System.Collections.Frozen;

namespace Agent.Actors.Resolution.Idna;

/// <summary>
/// Lookups over the tables that tools/idna/gen_stringprep_tables.py generates from CPython
/// (<c>IdnaTables.g.cs</c>). The maps are built on first use: only a non-ASCII name needs them.
/// </summary>
internal static partial class IdnaTables
{
    private static readonly FrozenDictionary<int, int[]> CaseFoldMap = BuildMap(CaseFoldRuns, hasStride: true, CaseFoldMulti);
    private static readonly FrozenDictionary<int, int[]> DecompositionMap = BuildMap(DecompositionRuns, hasStride: false, DecompositionMulti);
    private static readonly FrozenDictionary<long, int> CompositionMap = BuildCompositions();
    private static readonly FrozenSet<int> CompositionFirsts = CompositionMap.Keys.Select(k => (int)(k >> 21)).ToFrozenSet();

    /// <summary>True when <paramref name="codePoint"/> lies in one of the sorted [first, last] pairs of <paramref name="ranges"/>.</summary>
    public static bool InRanges(ReadOnlySpan<int> ranges, int codePoint)
    {
        int lo = 0, hi = (ranges.Length / 2) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (codePoint < ranges[2 * mid])
            {
                hi = mid - 1;
            }
            else if (codePoint > ranges[(2 * mid) + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><c>stringprep.map_table_b2</c>, or null where it maps a code point to itself.</summary>
    public static int[]? CaseFold(int codePoint) => CaseFoldMap.GetValueOrDefault(codePoint);

    /// <summary>The full Unicode 3.2 compatibility decomposition CPython gives one code point (Hangul aside), or null.</summary>
    public static int[]? Decomposition(int codePoint) => DecompositionMap.GetValueOrDefault(codePoint);

    /// <summary>The canonical combining class CPython's normalization uses (its current database's).</summary>
    public static int CombiningClass(int codePoint)
    {
        var table = CombiningClasses;
        int lo = 0, hi = (table.Length / 3) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (codePoint < table[3 * mid])
            {
                hi = mid - 1;
            }
            else if (codePoint > table[(3 * mid) + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return table[(3 * mid) + 2];
            }
        }
        return 0;
    }

    /// <summary>True when <paramref name="codePoint"/> starts some primary composite (unicodedata.c's <c>nfc_first</c>).</summary>
    public static bool IsCompositionFirst(int codePoint) => CompositionFirsts.Contains(codePoint);

    /// <summary>The primary composite of <paramref name="first"/> and <paramref name="second"/>, if there is one.</summary>
    public static bool TryCompose(int first, int second, out int composite) =>
        CompositionMap.TryGetValue(((long)first << 21) | (uint)second, out composite);

    private static FrozenDictionary<int, int[]> BuildMap(ReadOnlySpan<int> runs, bool hasStride, ReadOnlySpan<int> multi)
    {
        var map = new Dictionary<int, int[]>();
        var width = hasStride ? 4 : 3;
        for (var r = 0; r < runs.Length; r += width)
        {
            var (first, last) = (runs[r], runs[r + 1]);
            var stride = hasStride ? runs[r + 2] : 1;
            var delta = runs[r + width - 1];
            for (var cp = first; cp <= last; cp += stride)
            {
                map.Add(cp, [cp + delta]);
            }
        }
        for (var i = 0; i < multi.Length; i += 2 + multi[i + 1])
        {
            map.Add(multi[i], multi.Slice(i + 2, multi[i + 1]).ToArray());
        }
        return map.ToFrozenDictionary();
    }

    private static FrozenDictionary<long, int> BuildCompositions()
    {
        var table = Compositions;
        var map = new Dictionary<long, int>();
        for (var i = 0; i < table.Length; i += 3)
        {
            map.Add(((long)table[i] << 21) | (uint)table[i + 1], table[i + 2]);
        }
        return map.ToFrozenDictionary();
    }
}
