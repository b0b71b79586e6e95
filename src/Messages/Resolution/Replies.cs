using System.Text.Json.Serialization;

namespace Agent.Messages.Resolution;

/// <summary>The success reply to <paramref name="Request"/>.</summary>
public sealed record Resolved(ResolutionRequest Request, ResolutionResult Result) : IWireMessage;

/// <summary>
/// The failure reply to <paramref name="Request"/>: what Python raises (<c>gaierror</c>,
/// <c>herror</c>, <c>OSError</c>, <c>OverflowError</c>...), or <see cref="TimedOut"/> when
/// the resolver's per-request timeout elapsed first.
/// </summary>
public sealed record ResolutionFailed(ResolutionRequest Request, PythonError Error) : IWireMessage
{
    /// <summary>The <see cref="PythonError.Kind"/> of a resolver timeout (Python's <c>TimeoutError</c>, without an errno).</summary>
    public const string TimeoutKind = "TimeoutError";

    /// <summary>True when the resolver gave up waiting rather than libc failing.</summary>
    [JsonIgnore]
    public bool TimedOut => Error.Kind == TimeoutKind && Error.Errno is null;
}
