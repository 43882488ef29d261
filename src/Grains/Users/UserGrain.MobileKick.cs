using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Users;

/// <summary>Kicks: sending <c>IMKickUser</c> through the gateways, and a mobile kicking the user's PCs (behaviour.md 3.3.4).</summary>
public sealed partial class UserGrain
{
    public async Task<int> KickPcAsync()
    {
        await ReconcileAsync(announce: false);
        var pcs = connections.FindAll(c => c.Device.IsPc());
        if (pcs.Count == 0)
        {
            return 0;
        }

        // Forgotten before the kicks go out: the kicked connections' closes find nothing to announce a second time.
        connections = [.. connections.Except(pcs)];
        WatchGateways();
        await KickAsync(pcs, KickReason.MobileKick);
        LogMobileKick(UserId, pcs.Count);
        await AnnouncePcOfflineAsync();
        return pcs.Count;
    }

    public async Task<int> KickAllAsync()
    {
        await ReconcileAsync(announce: false);
        var all = connections;
        if (all.Count == 0)
        {
            return 0;
        }

        // Forgotten before the kicks go out, as for a mobile's kick: the closes find nothing to announce again.
        connections = [];
        WatchGateways();
        await KickAsync(all, KickReason.DuplicateUser);
        LogLeftKick(UserId, all.Count);
        if (all.Exists(c => c.Device.IsPc()))
        {
            await AnnouncePcOfflineAsync();
        }

        return all.Count;
    }

    /// <summary>
    /// <see cref="KickAsync"/> without waiting for it: it runs on the activation between later calls, and a failure
    /// (the router already logs each failed gateway call) is logged here too.
    /// </summary>
    private void StartKicks(List<UserConnection> kicked, KickReason reason) => _ = KickLoggedAsync(kicked, reason);

    private async Task KickLoggedAsync(List<UserConnection> kicked, KickReason reason)
    {
        try
        {
            await KickAsync(kicked, reason);
        }
        catch (Exception ex)
        {
            LogKickFailed(ex, UserId, kicked.Count);
        }
    }

    /// <summary>Sends <c>IMKickUser</c> to each of <paramref name="kicked"/> through its gateway, the gateways in parallel.</summary>
    private async Task KickAsync(List<UserConnection> kicked, KickReason reason) =>
        await Task.WhenAll(kicked.GroupBy(k => k.Connection.GatewayId).Select(group =>
        {
            var ids = group.Select(k => k.Connection.ConnectionId).ToArray();
            return router.CallAsync([group.Key], async observer =>
            {
                foreach (var id in ids)
                {
                    await observer.KickAsync(id, UserId, reason);
                }

                return ids.Length;
            });
        }));

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: kicking {Count} connections failed")]
    private partial void LogKickFailed(Exception ex, uint userId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: left (status 3), kicked all {Count} connections")]
    private partial void LogLeftKick(uint userId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: a mobile kicked {Count} PC connections")]
    private partial void LogMobileKick(uint userId, int count);
}
