using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>
/// Ready while the gateway's Orleans client has a connection to at least one silo: Orleans tells this observer each
/// time a silo gateway connection opens or closes (<see cref="IClusterConnectionStatusObserver"/>).
/// </summary>
internal sealed class ClusterClientHealthCheck : IHealthCheck, IClusterConnectionStatusObserver
{
    private int connectedSilos;

    /// <summary>Silo gateways the client is connected to now.</summary>
    public int ConnectedSilos => Volatile.Read(ref connectedSilos);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var silos = ConnectedSilos;
        return Task.FromResult(silos > 0
            ? HealthCheckResult.Healthy($"the cluster client is connected to {silos} silo(s)")
            : HealthCheckResult.Unhealthy("the cluster client is connected to no silo"));
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref connectedSilos, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref connectedSilos, 0);
}
