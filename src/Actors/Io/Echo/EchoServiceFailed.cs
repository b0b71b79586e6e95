using Agent.Messages;

namespace Agent.Actors.Io.Echo;

/// <summary>
/// Told to an echo service's observer when the service gives up for good: it could not bind for a reason that
/// waiting cannot heal (see <see cref="OsErrors.IsRetryable"/>). The service stays, bound to nothing (stopping
/// would only start the backoff over); the observer decides what follows.
/// </summary>
/// <param name="Requested">The configured endpoint.</param>
/// <param name="Cause">Why, in Python's words.</param>
public sealed record EchoServiceFailed(Endpoint Requested, PythonError Cause);
