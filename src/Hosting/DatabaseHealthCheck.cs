using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace TeamTalk.Orleans.Hosting;

/// <summary>Ready when MariaDB answers <c>SELECT 1</c> within <see cref="TelemetryOptions.HealthCheckTimeout"/>.</summary>
public sealed class DatabaseHealthCheck(MySqlDataSource dataSource, TelemetryOptions options) : IHealthCheck
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
