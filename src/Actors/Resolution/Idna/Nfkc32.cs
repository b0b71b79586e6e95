namespace Agent.Actors.Resolution.Idna;

/// <summary>
/// <c>unicodedata.ucd_3_2_0.normalize('NFKC', s)</c> exactly as CPython computes it (nfd_nfkd and
/// nfc_nfkc of Modules/unicodedata.c): Unicode 3.2 decompositions, none for code points unassigned
/// in 3.2, but canonical ordering and composition with the combining classes and composites of
/// CPython's own database. .NET's <see cref="string.Normalize()"/> follows neither (it is plain
/// NFKC of a newer Unicode), so nameprep cannot use it.
/// </summary>
internal static class Nfkc32
{
    private const int SBase = 0xAC00;
    private const int LBase = 0x1100;
    private const int VBase = 0x1161;
    private const int TBase = 0x11A7;
    private const int LCount = 19;
    private const int VCount = 21;
    private const int TCount = 28;
    private const int SCount = LCount * VCount * TCount;

    /// <summary>The NFKC form of the code points <paramref name="input"/>.</summary>
    public static List<int> Normalize(List<int> input) => input.Count == 0 ? input : Compose(Decompose(input));

    private static List<int> Decompose(List<int> input)
    {
        var output = new List<int>(input.Count + 10);
        foreach (var code in input)
        {
            if (code is >= SBase and < SBase + SCount)
            {
                var index = code - SBase;
                output.Add(LBase + (index / (VCount * TCount)));
                output.Add(VBase + (index % (VCount * TCount) / TCount));
                if (index % TCount != 0)
                {
                    output.Add(TBase + (index % TCount));
                }
            }
            else if (IdnaTables.Decomposition(code) is { } decomposition)
            {
                output.AddRange(decomposition);
            }
            else
            {
                output.Add(code);
            }
        }
        // Canonical ordering, the insertion sort of nfd_nfkd.
        var prev = IdnaTables.CombiningClass(output[0]);
        for (var i = 1; i < output.Count; i++)
        {
            var cur = IdnaTables.CombiningClass(output[i]);
            if (prev == 0 || cur == 0 || prev <= cur)
            {
                prev = cur;
                continue;
            }
            for (var o = i - 1; o >= 0; o--)
            {
                (output[o], output[o + 1]) = (output[o + 1], output[o]);
                if (o == 0)
                {
                    break;
                }
                var before = IdnaTables.CombiningClass(output[o - 1]);
                if (before == 0 || before <= cur)
                {
                    break;
                }
            }
            prev = IdnaTables.CombiningClass(output[i]);
        }
        return output;
    }

    /// <summary>nfc_nfkc's composition loop, step for step (its blocking test included).</summary>
    private static List<int> Compose(List<int> data)
    {
        var output = new List<int>(data.Count);
        var skipped = new HashSet<int>();
        var i = 0;
        while (i < data.Count)
        {
            if (skipped.Remove(i))
            {
                i++;
                continue;
            }
            var code = data[i];
            // Hangul: L V [T] to a syllable (the data is decomposed, so there is no LV T to compose).
            if (code is >= LBase and < LBase + LCount && i + 1 < data.Count && data[i + 1] is >= VBase and < VBase + VCount)
            {
                code = SBase + ((((code - LBase) * VCount) + data[i + 1] - VBase) * TCount);
                i += 2;
                if (i < data.Count && data[i] > TBase && data[i] < TBase + TCount)
                {
                    code += data[i] - TBase;
                    i++;
                }
                output.Add(code);
                continue;
            }
            if (IdnaTables.IsCompositionFirst(code))
            {
                var comb = 0;
                for (var i1 = i + 1; i1 < data.Count; i1++)
                {
                    var code1 = data[i1];
                    var comb1 = IdnaTables.CombiningClass(code1);
                    if (comb != 0)
                    {
                        if (comb1 == 0)
                        {
                            break;
                        }
                        if (comb >= comb1)
                        {
                            continue; // blocked
                        }
                    }
                    if (!IdnaTables.TryCompose(code, code1, out var composite))
                    {
                        if (comb1 == 0)
                        {
                            break;
                        }
                        comb = comb1;
                        continue;
                    }
                    code = composite;
                    skipped.Add(i1);
                    if (!IdnaTables.IsCompositionFirst(code))
                    {
                        break;
                    }
                }
            }
            output.Add(code);
            i++;
        }
        return output;
    }
}
