using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Messages.Io;

namespace Agent.Actors.Checks;

// A tcp probe with a query script: once connected, each send is written and acknowledged before the next step, each
// expect waits until its regex matches the bytes not yet consumed. Failures name the step (counted from 1).
internal sealed partial class ProbeAttempt
{
    // How much of the bytes received an error repeats (escaped), and of a regex.
    private const int ShownBytes = 100;
    private const int ShownRegex = 100;

    private QueryResponse? _query;
    private Regex?[] _regexes = [];
    private int _step;
    // Bytes received and not consumed by a match, one Latin-1 character per byte.
    private string _unconsumed = "";

    private bool IsQuery => _query is not null;

    private void StartQuery()
    {
        _query = _options.QueryResponse!;
        _regexes = [.. _query.Steps.Select(s => s.Kind == QueryStepKind.Expect ? QueryResponse.Compile(s.Text) : null)];
        _stream!.Tell(SockStream.Register.Instance, Self);
        RunSteps();
    }

    // Runs steps until one has to wait: a send for its ack, an expect for more bytes.
    private void RunSteps()
    {
        while (_step < _query!.Steps.Count)
        {
            var step = _query.Steps[_step];
            if (step.Kind == QueryStepKind.Send)
            {
                _stream!.Tell(new SockStream.Write(Encoding.UTF8.GetBytes(step.Text), _step), Self);
                return;
            }
            var regex = _regexes[_step]!;
            var match = regex.Match(_unconsumed, 0, Math.Min(_unconsumed.Length, QueryResponse.MaxBufferedBytes));
            if (!match.Success)
            {
                if (_unconsumed.Length > QueryResponse.MaxBufferedBytes)
                {
                    Finish(QueryFailure(Mismatch(_step)));
                }
                return;
            }
            _unconsumed = _unconsumed[(match.Index + match.Length)..];
            _step++;
        }
        var latency = ElapsedMs(_started);
        _stream!.Tell(SockStream.Close.Instance, Self);
        _stream = null;
        Finish(new AttemptOutcome(true, latency, _peer, null, null, null));
    }

    private void OnWriteAck(SockStream.WriteAck ack)
    {
        if (_query is null || ack.Ack != _step)
        {
            Unhandled(ack);
            return;
        }
        _step++;
        RunSteps();
    }

    private void OnQueryReceived(ReadOnlySpan<byte> data)
    {
        if (Stopwatch.GetElapsedTime(_started) >= _options.Timeout)
        {
            // Past the deadline with reads still queued (a peer dribbling bytes): no more matching, the deadline's answer.
            OnDeadline();
            return;
        }
        var nextExpect = _step;
        while (nextExpect < _query!.Steps.Count && _query.Steps[nextExpect].Kind != QueryStepKind.Expect)
        {
            nextExpect++;
        }
        if (nextExpect == _query.Steps.Count)
        {
            return;
        }
        _unconsumed += Encoding.Latin1.GetString(data);
        if (nextExpect == _step)
        {
            RunSteps();
        }
        else if (_unconsumed.Length > QueryResponse.MaxBufferedBytes)
        {
            // More than the bound while a send waits for its ack: no expect may hold that much, whatever it matches.
            Finish(QueryFailure(Mismatch(nextExpect)));
        }
    }

    // Connected, so the failure names the address that answered (a script may fail on one address of a name only).
    private AttemptOutcome QueryFailure(PythonError error) => Failure(error) with { Address = _peer };

    private PythonError Mismatch(int step) => new("QueryMismatch", null,
        $"step {step + 1}: expected {ShownRegexOf(_query!.Steps[step])} within {QueryResponse.MaxBufferedBytes} bytes, got {Shown(_unconsumed)}");

    private PythonError QueryClosed() => _query!.Steps[_step] switch
    {
        { Kind: QueryStepKind.Expect } step =>
            new PythonError("EOFError", null, $"step {_step + 1}: peer closed before {ShownRegexOf(step)} matched, got {Shown(_unconsumed)}"),
        _ => new PythonError("EOFError", null, $"step {_step + 1}: peer closed before the send was written"),
    };

    private PythonError QueryTimedOut() => OsErrors.TimedOut with
    {
        Strerror = _query!.Steps[_step] switch
        {
            { Kind: QueryStepKind.Expect } step => $"timed out at step {_step + 1}: expected {ShownRegexOf(step)}, got {Shown(_unconsumed)}",
            _ => $"timed out at step {_step + 1}: sending",
        },
    };

    private static string ShownRegexOf(QueryStep step) =>
        "/" + Endpoint.Escaped(step.Text.Length <= ShownRegex ? step.Text : step.Text[..ShownRegex] + "...") + "/";

    // As Python's repr of bytes, at most ShownBytes of them: b'220 mail.example ESMTP\r\n'.
    private static string Shown(string latin1)
    {
        var text = new StringBuilder("b'");
        foreach (var c in latin1.AsSpan(0, Math.Min(latin1.Length, ShownBytes)))
        {
            _ = c switch
            {
                '\\' or '\'' => text.Append('\\').Append(c),
                '\t' => text.Append("\\t"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                >= ' ' and <= '~' => text.Append(c),
                _ => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
            };
        }
        text.Append('\'');
        if (latin1.Length > ShownBytes)
        {
            text.Append(CultureInfo.InvariantCulture, $"... (first {ShownBytes} of {latin1.Length} bytes)");
        }
        return text.ToString();
    }
}
