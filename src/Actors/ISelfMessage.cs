using Akka.Actor;
using Akka.Event;

namespace Agent.Actors;

/// <summary>
/// A message an actor gets from its own work outside its turn (a socket completion, a lookup, a timer tick):
/// it never leaves the node, so it is exempt from <c>serialize-messages</c> verification, and one that lands
/// after the actor stopped is expected, so it is not logged as a dead letter.
/// </summary>
internal interface ISelfMessage : IDeadLetterSuppression, INoSerializationVerificationNeeded;
