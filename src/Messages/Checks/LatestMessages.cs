namespace Agent.Messages.Checks;

// The continuous-check protocol: a node's API asks every member's continuous checks for their latest results
// (GetLatestChecks) and each answers LatestChecks, once per ask, a page of its own cells at a time so that every answer
// fits one remoting frame; both cross nodes.

/// <summary>Asks a node's continuous checks (<c>/user/checks</c>) for their latest results; the reply is <see cref="LatestChecks"/>.</summary>
/// <param name="Check">Only this check's cells; null for every check.</param>
/// <param name="Offset">The first cell wanted: 0, then the <see cref="LatestChecks.Next"/> of the page before.</param>
public sealed record GetLatestChecks(string? Check = null, int Offset = 0) : IWireMessage;

/// <summary>
/// A page of a node's latest continuous-check results: one cell per target it probes, probed at least once, at most
/// <see cref="PageSize"/> of them.
/// </summary>
/// <param name="Node">The node's name.</param>
/// <param name="Cells">Its cells from the offset asked for, in its checks' order, then its targets' order.</param>
/// <param name="Next">The offset of the next page; null when this is the last.</param>
public sealed record LatestChecks(string Node, IReadOnlyList<LatestCell> Cells, int? Next = null) : IWireMessage
{
    /// <summary>The most cells in one page: 100, a few tens of KB, well within one remoting frame (128,000 bytes).</summary>
    public const int PageSize = 100;
}

/// <summary>The latest result of one continuous check's target on one node, and what its recent history says.</summary>
/// <param name="Check">The check's name.</param>
/// <param name="Result">The latest result.</param>
/// <param name="History">The recent results, summed up.</param>
public sealed record LatestCell(string Check, ProbeResult Result, CellHistory History);

/// <summary>
/// The last <see cref="Samples"/> results of a cell (at most the check's <c>history</c>): how many were ok, and the
/// latency percentiles of those that were (nearest rank; null when none was ok).
/// </summary>
/// <param name="Samples">Results kept.</param>
/// <param name="Ok">Of them, ok.</param>
/// <param name="P50Ms">Median latency of the ok ones, in milliseconds.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
public sealed record CellHistory(int Samples, int Ok, double? P50Ms, double? P90Ms, double? P99Ms);
