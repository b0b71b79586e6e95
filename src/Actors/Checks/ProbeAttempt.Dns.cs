using Agent.Messages.Checks;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Actors.Checks;

internal sealed partial class ProbeAttempt
{
    private const int SockStreamType = 1;
    private const int SockDgramType = 2;
    private const int AiCanonName = 2;
    // The lookup whose answer this attempt waits for: the dns probe's, or a datagram echo's own for one family.
    private GetAddrInfo? _lookup;

    private void StartDns()
    {
        // SOCK_STREAM so each address comes once (not once per socket type); AI_CANONNAME for the canonical name.
        _lookup = new GetAddrInfo(_target.Name, null, ProbeAddresses.FamilyOf(_options.Family), SockStreamType, 0, AiCanonName);
        _resolver.Tell(_lookup, Self);
    }

    private void OnResolved(Resolved resolved)
    {
        if (!Equals(resolved.Request, _lookup) || resolved.Result is not AddrInfoList list)
        {
            Unhandled(resolved);
            return;
        }
        if (_target.Kind == ProbeKind.Dns)
        {
            var addresses = list.Entries.Select(e => ProbeAddresses.ToText(e.SockAddr)).Distinct().ToList();
            var canon = list.Entries.Select(e => e.CanonName).FirstOrDefault(n => n.Length > 0);
            Finish(new AttemptOutcome(true, ElapsedMs(_started), null, null, new DnsAnswer(addresses, canon), null));
            return;
        }
        // A datagram echo restricted to one family: connect to the first address of it, as Python's socket would.
        var first = list.Entries.First();
        ConnectDatagram(Agent.Messages.Endpoint.Udp(ProbeAddresses.ToText(first.SockAddr), _target.Endpoint.Port));
    }

    private void ResolveDatagramFamily()
    {
        _lookup = new GetAddrInfo(_target.Endpoint.Host, null, ProbeAddresses.FamilyOf(_options.Family), SockDgramType);
        _resolver.Tell(_lookup, Self);
    }
}
