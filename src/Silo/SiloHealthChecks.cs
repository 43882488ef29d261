using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;
using TeamTalk.Orleans.Hosting;

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

/// <summary>Ready when MariaDB answers <c>SELECT 1</c> within <see cref="TelemetryOptions.HealthCheckTimeout"/>.</summary>
internal sealed class DatabaseHealthCheck(MySqlDataSource dataSource, TelemetryOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HealthCheckTimeout);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("the database answers");
        }
        catch (Exception ex) when (ex is MySqlException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"the database does not answer: {ex.Message}");
        }
    }
}
