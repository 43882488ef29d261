using Microsoft.Extensions.Options;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>
/// Once a second, closes file connections not logged in to a task within the login deadline, and those silent for
/// <see cref="GatewayOptions.FileIdleTimeout"/> (120 s, as the original file_server), measured from the last byte received.
/// </summary>
internal sealed class FileConnectionSweeper(FileConnectionRegistry registry, IOptions<GatewayOptions> options, FileLog log, TimeProvider time) : BackgroundService
{
    private readonly GatewayOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(settings.LoginTimeout.TotalMilliseconds / 4, 50, 1000));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Sweep();
        }
    }

    /// <summary>One pass over the file connections, at the clock's current time.</summary>
    internal void Sweep()
    {
        var now = time.GetTimestamp();
        foreach (var connection in registry.All)
        {
            if (!connection.Session.Joined && time.GetElapsedTime(connection.AcceptedAt, now) > settings.LoginTimeout)
            {
                log.Expired(connection.Id, "not logged in to a task before the login deadline");
                connection.Abort("login deadline");
            }
            else if (time.GetElapsedTime(connection.LastReceivedAt, now) > settings.FileIdleTimeout)
            {
                log.Expired(connection.Id, "idle timeout");
                connection.Abort("idle timeout");
            }
        }
    }
}
