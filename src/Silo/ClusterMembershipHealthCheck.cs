using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TeamTalk.Orleans.Silo;

/// <summary>Ready when this silo is an active member of the cluster (not joining, shutting down or declared dead).</summary>
internal sealed class ClusterMembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is an active member")
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}, not an active member"));
    }
}
