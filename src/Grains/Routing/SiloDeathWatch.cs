using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TeamTalk.Orleans.Grains.Routing;

/// <summary>
/// Tells the <see cref="GatewayRouter"/> when the cluster declares a silo dead, so that observer calls the dead silo
/// was carrying fail soon instead of at their timeout (<see cref="GatewayRouter.SiloLost"/>). Watches the cluster's
/// membership updates; silos already dead in the first view (earlier runs in the membership table) are not news.
/// </summary>
public sealed partial class SiloDeathWatch(IClusterMembershipService membership, GatewayRouter router, ILogger<SiloDeathWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ClusterMembershipSnapshot? previous = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                if (previous is not null)
                {
                    foreach (var change in snapshot.CreateUpdate(previous).Changes)
                    {
                        if (change.Status == SiloStatus.Dead)
                        {
                            LogSiloDead(change.SiloAddress.ToString());
                            router.SiloLost();
                        }
                    }
                }

                previous = snapshot;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} was declared dead; observer calls it may have carried fail soon instead of at their timeout")]
    private partial void LogSiloDead(string silo);
}
