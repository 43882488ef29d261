using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.Grains.Users;

/// <summary>
/// One per user: the user's live connections on every gateway, the kick rules, presence and delivery to every
/// device. Connections are not persisted: before its first answer the grain asks every live gateway which connections
/// it holds for the user (the gateways are the truth about sockets), so a grain reactivated after its silo died, or
/// after idle collection, knows them again at once; a login that activates it vouches for its own gateway when it is
/// the user's only connection there, so a first login asks only the other gateways. A gateway that did not answer, or
/// that left the live view and came back, is asked again before the next delivery; until it answers, deliveries go to
/// the connections known and then fail, so that the conversation retries them (gateways drop what a connection already
/// got).
/// While the user has a PC-class connection the grain stays active and checks every gateway lifetime that the gateways
/// holding its connections are still alive: PC connections lost with a dead gateway are announced OFFLINE like any
/// other close (behaviour.md 3.2.2).
/// </summary>
public sealed partial class UserGrain(GatewayRouter router, ILogger<UserGrain> logger) : Grain, IUserGrain
{
    /// <summary>Gateways that left the live view and are remembered in case they come back (a bound, not a rule).</summary>
    private const int MaxRememberedGateways = 32;

    private readonly HashSet<string> unsynced = new(StringComparer.Ordinal);
    private List<UserConnection> connections = [];
    private IGrainTimer? gatewayWatch;
    private IReadOnlyDictionary<string, GatewayRoute>? reconciled;
    private bool unknownLive;

    /// <summary>The activation's first sync with the gateways: every call waits for it (until it ends the grain knows no connection).</summary>
    private Task? firstSync;

    private uint UserId => (uint)this.GetPrimaryKeyLong();

    /// <summary>Every live gateway is asked, by the first call's <see cref="ReconcileAsync"/>, which connections it holds.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        unsynced.UnionWith((await router.GetRoutesAsync()).Keys);

    public async Task<ConnectOutcome> ConnectAsync(UserConnection connection, bool aloneOnItsGateway)
    {
        if (aloneOnItsGateway)
        {
            // Its gateway holds no other connection of the user: nothing to ask it. (Only then: a list of others taken
            // by the gateway could name one whose close was already handled here, and bring it back.)
            unsynced.Remove(connection.Connection.GatewayId);
        }

        // A PC connecting now keeps the user online: losing an old PC with a dead gateway is not announced then.
        await ReconcileAsync(announce: !connection.Device.IsPc());
        var kicked = connections.FindAll(c => c.Connection != connection.Connection && c.Device.SameClassAs(connection.Device));
        if (kicked.Count > 0)
        {
            connections = [.. connections.Except(kicked)];

            // Not awaited: a kicked connection's gateway may have died (the client is logging in again because of
            // that), and its observer call would hold the new login up to the call timeout. The kicked connections
            // are already forgotten, so nothing is pushed to them meanwhile.
            StartKicks(kicked, KickReason.DuplicateUser);
            LogKicked(UserId, kicked.Count, connection.Device);
        }

        if (!connections.Exists(c => c.Connection == connection.Connection))
        {
            connections = [.. connections, connection];
        }

        var pcOnline = connections.Exists(c => c.Device.IsPc());
        WatchGateways();
        if (connection.Device.IsPc())
        {
            await Task.WhenAll(
                BroadcastStatusAsync(online: true),
                PushAsync(Mobiles(), [new PcLoginStatusPush(UserId, Online: true)]));
        }

        return new ConnectOutcome(pcOnline, kicked.Count);
    }

    public async Task DisconnectAsync(ConnectionRef connection)
    {
        var closed = connections.Find(c => c.Connection == connection);
        if (closed is null)
        {
            return;
        }

        connections = [.. connections.Where(c => c != closed)];
        WatchGateways();
        if (closed.Device.IsPc() && !connections.Exists(c => c.Device.IsPc()))
        {
            await AnnouncePcOfflineAsync();
        }
    }

    public async Task<bool> DeliverAsync(ClientPush[] pushes, ConnectionRef? except)
    {
        var known = await ReconcileAsync();
        await PushConfirmedAsync(except is null ? connections : connections.Where(c => c.Connection != except), pushes);
        ThrowIfUnknown(known, pushes.Length);
        return OnMobile();
    }

    public async Task<bool> DeliverRunAsync(ClientPush[] pushes, ConnectionRef?[] skip)
    {
        if (pushes.Length != skip.Length)
        {
            throw new ArgumentException($"{pushes.Length} pushes but {skip.Length} connections to skip", nameof(skip));
        }

        var known = await ReconcileAsync();

        // Connections that sent none of the run get all of it together; a sending connection gets the rest, in order.
        var senders = skip.OfType<ConnectionRef>().ToHashSet();
        var all = PushConfirmedAsync(connections.Where(c => !senders.Contains(c.Connection)), pushes);
        var own = connections.Where(c => senders.Contains(c.Connection)).Select(c =>
        {
            var rest = pushes.Where((_, i) => skip[i] != c.Connection).ToArray();
            return rest.Length == 0 ? Task.CompletedTask : PushConfirmedAsync([c], rest);
        });
        await Task.WhenAll([all, .. own]);
        ThrowIfUnknown(known, pushes.Length);
        return OnMobile();
    }

    public async Task<UserConnection[]> GetConnectionsAsync()
    {
        await ReconcileAsync();
        return [.. connections];
    }

    public async Task<UserPresence> GetPresenceAsync()
    {
        await ReconcileAsync();
        var pc = connections.Count(c => c.Device.IsPc());
        return new UserPresence(UserId, pc > 0, pc, connections.Count - pc);
    }

    private IEnumerable<UserConnection> Mobiles() => connections.Where(c => c.Device.IsMobile());

    /// <summary>Whether a live mobile connection exists (what makes a push notification unnecessary).</summary>
    private bool OnMobile() => connections.Exists(c => c.Device.IsMobile());

    /// <summary>Pushes to the given connections: through each gateway's push queue, all gateways in parallel.</summary>
    private Task PushAsync(IEnumerable<UserConnection> targets, ClientPush[] pushes) =>
        StartPushes(targets, pushes) is { Count: > 0 } calls ? Task.WhenAll(calls.Select(c => c.Sent)) : Task.CompletedTask;

    /// <summary>
    /// Pushes as <see cref="PushAsync"/>, and fails when a call to a live gateway failed (a silo on its way died, or it
    /// timed out), so that the conversation retries the delivery; gateways drop what a connection already got.
    /// </summary>
    private async Task PushConfirmedAsync(IEnumerable<UserConnection> targets, ClientPush[] pushes)
    {
        // Every call is started before the first is awaited, so awaiting them in turn waits for all of them, as
        // Task.WhenAll would, without its allocations on this path (a delivery per member of every group message).
        string? failed = null;
        foreach (var (gateway, sent) in StartPushes(targets, pushes))
        {
            if (!await sent)
            {
                failed ??= gateway;
            }
        }

        if (failed is not null)
        {
            throw new InvalidOperationException($"User {UserId}: pushing {pushes.Length} messages to gateway {failed} failed; the conversation retries");
        }
    }

    /// <summary>Queues the pushes for each gateway holding some of <paramref name="targets"/>: one call per gateway, all started at once.</summary>
    private List<(string Gateway, Task<bool> Sent)> StartPushes(IEnumerable<UserConnection> targets, ClientPush[] pushes)
    {
        // A user has a handful of connections: a linear search groups them by gateway, in the order first seen.
        var byGateway = new List<(string Gateway, List<long> Connections)>(1);
        foreach (var target in targets)
        {
            var gateway = target.Connection.GatewayId;
            var at = 0;
            while (at < byGateway.Count && byGateway[at].Gateway != gateway)
            {
                at++;
            }

            if (at == byGateway.Count)
            {
                byGateway.Add((gateway, new List<long>(1)));
            }

            byGateway[at].Connections.Add(target.Connection.ConnectionId);
        }

        var calls = new List<(string, Task<bool>)>(byGateway.Count);
        foreach (var (gateway, ids) in byGateway)
        {
            calls.Add((gateway, router.PushAsync(gateway, [.. ids], pushes)));
        }

        return calls;
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

    /// <summary>The last PC connection is gone: OFFLINE to every PC connection of the organisation, and to the user's mobiles.</summary>
    private Task AnnouncePcOfflineAsync() => Task.WhenAll(
        BroadcastStatusAsync(online: false),
        PushAsync(Mobiles(), [new PcLoginStatusPush(UserId, Online: false)]));

    /// <summary>
    /// Brings the connections in line with the live gateways (when the silo's view of them changed since the last time,
    /// or a live gateway's connections of the user are not known): forgets connections held by gateways that are no
    /// longer live, remembering those gateways in case they come back, and asks each live gateway whose connections are
    /// not known (it did not answer before, or it came back) which ones it holds. When that takes the user's last PC
    /// connection, the user goes OFFLINE as on any other close (unless <paramref name="announce"/> is false: a PC is
    /// connecting). Returns false while a live gateway's connections are still not known.
    /// </summary>
    private async Task<bool> ReconcileAsync(bool announce = true)
    {
        // Deliveries interleave: one that arrived while the first sync waits for the gateways must not take the empty
        // list for the user's connections (it would deliver to nobody and report success), so every call waits for it.
        if (firstSync is null or { IsFaulted: true })
        {
            firstSync = FirstSyncAsync();
        }

        await firstSync;
        var routes = await router.GetRoutesAsync();
        if (ReferenceEquals(routes, reconciled) && !unknownLive)
        {
            return true;
        }

        // A gateway missing from a cached view may have joined since: only a fresh view says it is gone.
        if (connections.Find(c => !routes.ContainsKey(c.Connection.GatewayId)) is { } missing)
        {
            routes = await router.GetRoutesWithAsync(missing.Connection.GatewayId);
        }

        var alive = connections.FindAll(c => routes.ContainsKey(c.Connection.GatewayId));
        if (alive.Count != connections.Count)
        {
            var lostPc = connections.Exists(c => c.Device.IsPc()) && !alive.Exists(c => c.Device.IsPc());
            if (unsynced.Count >= MaxRememberedGateways)
            {
                unsynced.RemoveWhere(id => !routes.ContainsKey(id));
            }

            foreach (var gone in connections.Where(c => !routes.ContainsKey(c.Connection.GatewayId)))
            {
                unsynced.Add(gone.Connection.GatewayId);
            }

            LogDroppedDead(UserId, connections.Count - alive.Count);
            connections = alive;
            WatchGateways();
            if (lostPc && announce)
            {
                LogPcLostWithGateway(UserId);
                await AnnouncePcOfflineAsync();
            }
        }

        await SyncAsync(routes, announce);
        return !unknownLive;
    }

    /// <summary>
    /// Asks the live gateways in <see cref="unsynced"/> which connections of the user they hold and adds those not known
    /// (never removes: closes arrive as <see cref="DisconnectAsync"/>). A PC found this way after the user went OFFLINE
    /// is announced ONLINE again (unless <paramref name="announce"/> is false).
    /// </summary>
    private async Task SyncAsync(IReadOnlyDictionary<string, GatewayRoute> routes, bool announce, bool first = false)
    {
        reconciled = routes;
        if (!unsynced.Overlaps(routes.Keys))
        {
            unknownLive = false;
            return;
        }

        var wanted = unsynced.Where(routes.ContainsKey).ToList();

        // Until the answers are in, a call that interleaves (a delivery) must not take the view for reconciled.
        unknownLive = true;
        var found = await router.QueryAsync(wanted, observer => observer.GetUserConnectionsAsync(UserId));
        var hadPc = connections.Exists(c => c.Device.IsPc());
        var added = 0;
        foreach (var (gateway, held) in found)
        {
            unsynced.Remove(gateway);
            foreach (var connection in held)
            {
                if (!connections.Exists(c => c.Connection == connection.Connection))
                {
                    connections = [.. connections, connection];
                    added++;
                }
            }
        }

        unknownLive = unsynced.Overlaps(routes.Keys);
        if (added == 0)
        {
            return;
        }

        if (first)
        {
            LogRecovered(UserId, added);
        }

        WatchGateways();
        if (announce && !hadPc && connections.Exists(c => c.Device.IsPc()))
        {
            LogPcFoundAgain(UserId);
            await Task.WhenAll(
                BroadcastStatusAsync(online: true),
                PushAsync(Mobiles(), [new PcLoginStatusPush(UserId, Online: true)]));
        }
    }

    /// <summary>The activation's first sync: it recovers connections that were there all along, so it announces nothing.</summary>
    private async Task FirstSyncAsync() => await SyncAsync(await router.GetRoutesAsync(), announce: false, first: true);

    /// <summary>A delivery went to the connections known while a live gateway's are not: it fails, so that it is retried.</summary>
    private void ThrowIfUnknown(bool known, int count)
    {
        if (!known)
        {
            throw new InvalidOperationException($"User {UserId}: the connections on gateway {unsynced.First()} are not known yet; the conversation retries these {count} messages");
        }
    }

    /// <summary>
    /// Keeps a timer (which also keeps the grain active) while the user has a PC-class connection, so that a PC lost
    /// with its gateway is announced OFFLINE even if nothing else calls the grain; none otherwise.
    /// </summary>
    private void WatchGateways()
    {
        var hasPc = connections.Exists(c => c.Device.IsPc());
        if (hasPc && gatewayWatch is null)
        {
            var period = router.GatewayLifetime;
            gatewayWatch = this.RegisterGrainTimer(
                _ => ReconcileAsync(),
                new GrainTimerCreationOptions(period, period) { KeepAlive = true, Interleave = false });
        }
        else if (!hasPc && gatewayWatch is not null)
        {
            gatewayWatch.Dispose();
            gatewayWatch = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: recovered {Count} live connections from the gateways")]
    private partial void LogRecovered(uint userId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: kicked {Count} connections for a new {Device} login")]
    private partial void LogKicked(uint userId, int count, DeviceType device);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: dropped {Count} connections of gateways that are gone")]
    private partial void LogDroppedDead(uint userId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: the last PC connection was lost with its gateway; announcing OFFLINE")]
    private partial void LogPcLostWithGateway(uint userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: a gateway that came back holds a PC connection; announcing ONLINE")]
    private partial void LogPcFoundAgain(uint userId);
}
