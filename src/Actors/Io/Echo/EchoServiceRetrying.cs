using Agent.Messages;

namespace Agent.Actors.Io.Echo;

/// <summary>
/// Told to an echo service's observer when the service is not serving and will bind again after a pause: a bind
/// failure that waiting can heal (port in use, descriptors exhausted), or its listener or endpoint stopped under it.
/// An <see cref="EchoServiceBound"/> follows once it serves again.
/// </summary>
/// <param name="Requested">The configured endpoint.</param>
/// <param name="Reason">Why, in Python's words where the OS gave an error.</param>
public sealed record EchoServiceRetrying(Endpoint Requested, string Reason);
