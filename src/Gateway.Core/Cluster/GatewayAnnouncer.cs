using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>
/// Announces this gateway (addresses, port, load) and its observer to the gateway directory at start and on a timer:
/// observer registrations live in memory, so a directory that moved to another silo learns them again within one
/// period. Keeps the strong reference to the observer object that the Orleans client requires. Leaves the directory
/// (<see cref="LeaveAsync"/>) first thing on a graceful stop, before Kestrel stops (<see cref="GatewayDrain"/>).
/// </summary>
internal sealed partial class GatewayAnnouncer(
    IGrainFactory grains,
    GatewayObserver observer,
    GatewayIdentity gateway,
    ConnectionRegistry registry,
    MessageRate messages,
    LiveGateways live,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewayAnnouncer> logger,
    InProcessGateways? inProcess = null) : BackgroundService
{
    private readonly GatewayOptions settings = options.Value;

    private TimeSpan AnnounceTimeout => settings.AnnounceTimeout;
    private readonly CancellationTokenSource leaving = new();
    private IGatewayObserver? reference;
    private int left;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        reference = grains.CreateObjectReference<IGatewayObserver>(observer);

        // In a silo's process the silo pushes to the observer object itself (registered before the first announcement).
        inProcess?.Add(gateway.Id, observer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaving.Token);
        using var timer = new PeriodicTimer(settings.AnnouncePeriod, time);
        do
        {
            await AnnounceAsync();
        }
        while (await timer.WaitForNextTickAsync(stop.Token));
    }

    /// <summary>
    /// Stops announcing and unregisters this gateway, once: discovery stops naming it at once, and grains stop pushing
    /// through it. Its observer keeps answering (connections still open are served until they close).
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref left, 1) != 0)
        {
            return;
        }

        await leaving.CancelAsync();
        inProcess?.Remove(gateway.Id);

        // An announcement in flight would register the gateway again after the unregistration: let it end first.
        if (ExecuteTask is { } announcing)
        {
            await announcing.WaitAsync(AnnounceTimeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        try
        {
            await grains.GetGatewayDirectory().UnregisterAsync(gateway.Id).WaitAsync(TimeSpan.FromSeconds(2), time, cancellationToken);
            LogLeft(gateway.Id);
        }
        catch (Exception ex)
        {
            LogUnregisterFailed(ex);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await LeaveAsync(cancellationToken);
        if (reference is not null)
        {
            grains.DeleteObjectReference<IGatewayObserver>(reference);
        }
    }

    public override void Dispose()
    {
        leaving.Dispose();
        base.Dispose();
    }

    private async Task AnnounceAsync()
    {
        var info = new GatewayInfo(
            gateway.Id,
            settings.AdvertisedAddress,
            string.IsNullOrEmpty(settings.AdvertisedAddress2) ? settings.AdvertisedAddress : settings.AdvertisedAddress2,
            settings.TcpPort,
            registry.LoggedInCount,
            settings.MaxConnections,
            settings.FileTcpPort,
            messages.Sample());
        try
        {
            // Bounded: a call held up by a dying silo must not stop the announcements that follow it.
            live.Update(await grains.GetGatewayDirectory().HeartbeatAsync(info, reference!).WaitAsync(AnnounceTimeout, time));
        }
        catch (Exception ex)
        {
            LogAnnounceFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce this gateway to the directory; retrying next period")]
    private partial void LogAnnounceFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway {GatewayId} left the directory: discovery no longer names it")]
    private partial void LogLeft(string gatewayId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unregister this gateway from the directory")]
    private partial void LogUnregisterFailed(Exception exception);
}
