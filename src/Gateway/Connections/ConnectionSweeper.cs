using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Once a second, closes connections that missed their login deadline or stayed silent past their idle timeout
/// (PC and mobile classes have their own; measured from the last byte received).
/// </summary>
internal sealed class ConnectionSweeper(ConnectionRegistry registry, IOptions<GatewayOptions> options, ConnectionLog log) : BackgroundService
{
    private readonly GatewayOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(settings.LoginTimeout.TotalMilliseconds / 4, 50, 1000));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Sweep(Environment.TickCount64);
        }
    }

    internal void Sweep(long nowMs)
    {
        var loginMs = (long)settings.LoginTimeout.TotalMilliseconds;
        var pcMs = (long)settings.IdleTimeoutPc.TotalMilliseconds;
        var mobileMs = (long)settings.IdleTimeoutMobile.TotalMilliseconds;
        foreach (var connection in registry.All)
        {
            if (connection.MessageRate.TakeDropped() is > 0 and var dropped)
            {
                log.RateLimited(connection.Id, connection.UserId, dropped, settings.MessageRateLimit);
            }

            switch (connection.State)
            {
                case ConnectionState.Accepted or ConnectionState.LoggingIn when nowMs - connection.AcceptedAtMs > loginMs:
                    log.Expired(connection.Id, connection.UserId, "not logged in before the login deadline");
                    connection.Abort("login deadline");
                    break;
                case ConnectionState.LoggedIn or ConnectionState.Kicked
                    when nowMs - connection.LastReceivedMs > (connection.Device.IsMobile() ? mobileMs : pcMs):
                    log.Expired(connection.Id, connection.UserId, "idle timeout");
                    connection.Abort("idle timeout");
                    break;
            }
        }
    }
}
