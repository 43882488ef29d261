using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Users;

/// <summary>Kicks: sending <c>IMKickUser</c> through the gateways, and a mobile kicking the user's PCs (behaviour.md 3.3.4).</summary>
public sealed partial class UserGrain
{
    public async Task<int> KickPcAsync()
    {
        await DropConnectionsOfDeadGatewaysAsync(announce: false);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: a mobile kicked {Count} PC connections")]
    private partial void LogMobileKick(uint userId, int count);
}
