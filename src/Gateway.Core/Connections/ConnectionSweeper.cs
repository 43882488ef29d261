using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Once a second (more often for short login timeouts), closes connections that missed their login deadline or stayed
/// silent past their idle timeout (PC and mobile classes have their own; measured from the last byte received), and
/// reports what the message rate limit dropped.
/// </summary>
internal sealed class ConnectionSweeper(ConnectionRegistry registry, IOptions<GatewayOptions> options, ConnectionLog log, TimeProvider time) : BackgroundService
{
    private readonly GatewayOptions settings = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => SweepPeriodicallyAsync(stoppingToken);

    /// <summary>Sweeps once per period of the gateway's clock until <paramref name="stoppingToken"/> is cancelled.</summary>
    internal async Task SweepPeriodicallyAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(settings.LoginTimeout.TotalMilliseconds / 4, 50, 1000));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Sweep();
        }
    }

    /// <summary>One pass over the connections, at the clock's current time.</summary>
    internal void Sweep()
    {
        var now = time.GetTimestamp();
        foreach (var connection in registry.All)
        {
            if (connection.MessageRate.TakeDropped() is > 0 and var dropped)
            {
                log.RateLimited(connection.Id, connection.UserId, dropped, settings.MessageRateLimit);
            }

            switch (connection.State)
            {
                case ConnectionState.Accepted or ConnectionState.LoggingIn
                    when time.GetElapsedTime(connection.AcceptedAt, now) > settings.LoginTimeout:
                    log.Expired(connection.Id, connection.UserId, "not logged in before the login deadline");
                    connection.Abort("login deadline");
                    break;
                case ConnectionState.LoggedIn or ConnectionState.Kicked
                    when time.GetElapsedTime(connection.LastReceivedAt, now) > (connection.Device.IsMobile() ? settings.IdleTimeoutMobile : settings.IdleTimeoutPc):
                    log.Expired(connection.Id, connection.UserId, "idle timeout");
                    connection.Abort("idle timeout");
                    break;
            }
        }
    }
}
