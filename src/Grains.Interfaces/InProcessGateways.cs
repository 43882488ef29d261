using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// The gateways that run in this process (a silo hosting one, <c>TeamTalk:Silo:HostGateway</c>), by gateway id: the
/// silo pushes to such a gateway with a method call on its observer object instead of an observer call through Orleans'
/// messaging. Same process, and a push keeps nothing it is given, so nothing needs copying. Empty in a silo that hosts
/// no gateway; not registered in a gateway process.
/// </summary>
public sealed class InProcessGateways
{
    private readonly ConcurrentDictionary<string, IGatewayObserver> observers = new(StringComparer.Ordinal);

    /// <summary>A gateway of this process starts serving.</summary>
    public void Add(string gatewayId, IGatewayObserver observer) => observers[gatewayId] = observer;

    /// <summary>It left the directory: pushes to it go the ordinary way (and find it gone).</summary>
    public void Remove(string gatewayId) => observers.TryRemove(gatewayId, out _);

    /// <summary>The observer object of a gateway of this process.</summary>
    public bool TryGet(string gatewayId, [NotNullWhen(true)] out IGatewayObserver? observer) => observers.TryGetValue(gatewayId, out observer);
}
