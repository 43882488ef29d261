using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Grains.Messaging;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.Grains.User;

/// <summary>
/// One per user: the user's live connections on every gateway, the kick rules, presence and delivery to every
/// device. Connections are not persisted: on activation the grain asks every live gateway which connections it holds
/// for the user (the gateways are the truth about sockets), so a grain reactivated after its silo died, or after
/// idle collection, knows them again at once.
/// </summary>
public sealed partial class UserGrain(GatewayRouter router, MessageStore messages, TimeProvider time, ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private const uint SingleSession = 1;

    private List<UserConnection> connections = [];

    private uint UserId => (uint)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var routes = await router.GetRoutesAsync();
        var found = await router.CallAsync(routes.Keys, observer => observer.GetUserConnectionsAsync(UserId));
        connections = [.. found.SelectMany(batch => batch)];
        if (connections.Count > 0)
        {
            LogRecovered(UserId, connections.Count);
        }
    }

    public async Task<ConnectOutcome> ConnectAsync(UserConnection connection)
    {
        await DropConnectionsOfDeadGatewaysAsync();
        var kicked = connections.FindAll(c => c.Connection != connection.Connection && c.Device.SameClassAs(connection.Device));
        if (kicked.Count > 0)
        {
            connections = [.. connections.Except(kicked)];
            await Task.WhenAll(kicked.GroupBy(k => k.Connection.GatewayId).Select(group =>
            {
                var ids = group.Select(k => k.Connection.ConnectionId).ToArray();
                return router.CallAsync([group.Key], async observer =>
                {
                    foreach (var id in ids)
                    {
                        await observer.KickAsync(id, UserId, KickReason.DuplicateUser);
                    }

                    return ids.Length;
                });
            }));
            LogKicked(UserId, kicked.Count, connection.Device);
        }

        if (!connections.Exists(c => c.Connection == connection.Connection))
        {
            connections = [.. connections, connection];
        }

        var pcOnline = connections.Exists(c => c.Device.IsPc());
        if (connection.Device.IsPc())
        {
            await BroadcastStatusAsync(online: true);
            await PushAsync(Mobiles(), [new PcLoginStatusPush(UserId, Online: true)]);
        }

        return new ConnectOutcome(pcOnline);
    }

    public async Task DisconnectAsync(ConnectionRef connection)
    {
        var closed = connections.Find(c => c.Connection == connection);
        if (closed is null)
        {
            return;
        }

        connections = [.. connections.Where(c => c != closed)];
        if (closed.Device.IsPc() && !connections.Exists(c => c.Device.IsPc()))
        {
            await BroadcastStatusAsync(online: false);
            await PushAsync(Mobiles(), [new PcLoginStatusPush(UserId, Online: false)]);
        }
    }

    public Task DeliverAsync(ClientPush[] pushes, ConnectionRef? except) =>
        PushAsync(except is null ? connections : connections.Where(c => c.Connection != except), pushes);

    public async Task<UnreadSession[]> GetUnreadAsync()
    {
        var counts = await messages.UnreadAsync(UserId);
        var latest = await LatestMessagesAsync(counts.Select(c => c.PeerId));
        return [.. counts
            .Where(c => latest.ContainsKey(c.PeerId))
            .Select(c => new UnreadSession(c.PeerId, SingleSession, c.Count, latest[c.PeerId]))];
    }

    public async Task<RecentSession[]> GetRecentSessionsAsync(uint since)
    {
        var rows = (await messages.RecentSessionsAsync(UserId, since)).Where(r => r.Type == SingleSession).ToList();
        var latest = await LatestMessagesAsync(rows.Select(r => r.PeerId));

        // Sessions whose conversation holds no message are left out, as the original does.
        return [.. rows
            .Where(r => latest.ContainsKey(r.PeerId))
            .Select(r => new RecentSession(r.PeerId, r.Type, r.Updated, latest[r.PeerId]))];
    }

    public async Task<bool> RemoveSessionAsync(uint sessionType, uint peerId, ConnectionRef from)
    {
        var removed = await messages.RemoveSessionAsync(UserId, sessionType, peerId, (uint)time.GetUtcNow().ToUnixTimeSeconds());
        if (sessionType == SingleSession)
        {
            await DeliverAsync([new RemoveSessionNotifyPush(UserId, sessionType, peerId)], from);
        }

        return removed;
    }

    public async Task<UserConnection[]> GetConnectionsAsync()
    {
        await DropConnectionsOfDeadGatewaysAsync();
        return [.. connections];
    }

    public async Task<UserPresence> GetPresenceAsync()
    {
        await DropConnectionsOfDeadGatewaysAsync();
        var pc = connections.Count(c => c.Device.IsPc());
        return new UserPresence(UserId, pc > 0, pc, connections.Count - pc);
    }

    /// <summary>The latest message of each 1:1 session with the given peers (sessions without messages are absent).</summary>
    private async Task<Dictionary<uint, ChatMessage>> LatestMessagesAsync(IEnumerable<uint> peers)
    {
        var lookups = peers.Distinct().Where(p => p != UserId)
            .Select(async peer => (Peer: peer, Latest: await GrainFactory.GetSingleSession(UserId, peer).GetLatestAsync(UserId)))
            .ToList();
        var found = await Task.WhenAll(lookups);
        return found.Where(f => f.Latest is not null).ToDictionary(f => f.Peer, f => f.Latest!);
    }

    private IEnumerable<UserConnection> Mobiles() => connections.Where(c => c.Device.IsMobile());

    /// <summary>Pushes to the given connections: one call per gateway, all gateways in parallel.</summary>
    private async Task PushAsync(IEnumerable<UserConnection> targets, ClientPush[] pushes)
    {
        var calls = targets
            .GroupBy(c => c.Connection.GatewayId)
            .Select(group =>
            {
                var ids = group.Select(c => c.Connection.ConnectionId).ToArray();
                return router.CallAsync([group.Key], async observer =>
                {
                    await observer.PushAsync(ids, pushes);
                    return ids.Length;
                });
            })
            .ToList();
        await Task.WhenAll(calls);
    }

    /// <summary>The org-wide status notification: one call per live gateway, which fans out to its PC connections.</summary>
    private async Task BroadcastStatusAsync(bool online)
    {
        var routes = await router.GetRoutesAsync();
        var push = new UserStatusPush(UserId, online);
        await router.CallAsync(routes.Keys, async observer =>
        {
            await observer.PushToAllPcAsync(push);
            return true;
        });
    }

    private async Task DropConnectionsOfDeadGatewaysAsync()
    {
        if (connections.Count == 0)
        {
            return;
        }

        var routes = await router.GetRoutesAsync();
        var alive = connections.FindAll(c => routes.ContainsKey(c.Connection.GatewayId));
        if (alive.Count != connections.Count)
        {
            LogDroppedDead(UserId, connections.Count - alive.Count);
            connections = alive;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: recovered {Count} live connections from the gateways")]
    private partial void LogRecovered(uint userId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: kicked {Count} connections for a new {Device} login")]
    private partial void LogKicked(uint userId, int count, DeviceType device);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: dropped {Count} connections of gateways that are gone")]
    private partial void LogDroppedDead(uint userId, int count);
}
