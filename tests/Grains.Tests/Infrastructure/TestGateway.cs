using System.Collections.Concurrent;
using System.Threading.Channels;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>
/// A gateway as grains see it: an <see cref="IGatewayObserver"/> announced to the gateway directory, holding the
/// connections a test logged in. It records every push per connection, kicks, and the org-wide PC broadcasts (per
/// user whose status they carry), and answers the grains' questions about its connections from what the test logged
/// in, as the real gateway answers from its sockets.
/// </summary>
public sealed class TestGateway : IGatewayObserver
{
    private static long nextConnectionId;

    private readonly IGrainFactory grains;
    private readonly ConcurrentDictionary<long, TestConnection> connections = new();
    private readonly ConcurrentDictionary<uint, Channel<UserStatusPush>> broadcasts = new();
    private readonly ConcurrentDictionary<uint, Channel<ClientPush>> allBroadcasts = new();
    private readonly ConcurrentDictionary<uint, bool> unanswered = new();
    private readonly ConcurrentDictionary<uint, int> questions = new();
    private readonly ConcurrentDictionary<uint, (TaskCompletionSource Asked, TaskCompletionSource Release)> held = new();
    private volatile Task kickGate = Task.CompletedTask;
    private volatile Tuple<TaskCompletionSource, Task>? losingPushes;

    /// <param name="id">The gateway id.</param>
    /// <param name="client">The cluster client: the observer reference is created on it.</param>
    public TestGateway(string id, IClusterClient client)
    {
        Id = id;
        grains = client;
        Reference = client.CreateObjectReference<IGatewayObserver>(this);
    }

    public string Id { get; }

    /// <summary>The observer reference; kept here so that it stays alive as long as the gateway.</summary>
    public IGatewayObserver Reference { get; }

    /// <summary>Questions about <paramref name="userId"/>'s connections fail (as a gateway's that cannot be reached) until <see cref="Answer"/>.</summary>
    public void Refuse(uint userId) => unanswered[userId] = true;

    /// <summary>Questions about <paramref name="userId"/>'s connections are answered again.</summary>
    public void Answer(uint userId) => unanswered.TryRemove(userId, out _);

    /// <summary>Leaves the directory (as a gateway evicted or stopped).</summary>
    public Task LeaveAsync() => grains.GetGatewayDirectory().UnregisterAsync(Id);

    /// <summary>Announces (or refreshes) the gateway in the directory.</summary>
    public Task AnnounceAsync() =>
        grains.GetGatewayDirectory().HeartbeatAsync(new GatewayInfo(Id, "127.0.0.1", "127.0.0.1", 8000, connections.Count, 10_000, FileTcpPort: 8600), Reference);

    /// <summary>Logs a connection of <paramref name="userId"/> in: the gateway holds it, then tells the user grain (which may kick others).</summary>
    public async Task<TestConnection> LoginAsync(uint userId, DeviceType device)
    {
        var connection = new TestConnection(this, userId, device, Interlocked.Increment(ref nextConnectionId));
        connections[connection.Ref.ConnectionId] = connection;
        var alone = !connections.Values.Any(c => c.UserId == userId && c != connection);
        connection.Outcome = await grains.GetUserGrain(userId).ConnectAsync(new UserConnection(connection.Ref, device), alone);
        return connection;
    }

    /// <summary>The connection closed: the gateway forgets it and tells the user grain.</summary>
    public async Task DisconnectAsync(TestConnection connection)
    {
        connections.TryRemove(connection.Ref.ConnectionId, out _);
        await grains.GetUserGrain(connection.UserId).DisconnectAsync(connection.Ref);
    }

    /// <summary>The next status broadcast (<see cref="PushToAllPcAsync"/>) about <paramref name="userId"/> this gateway received.</summary>
    public async Task<UserStatusPush> NextBroadcastAsync(uint userId)
    {
        try
        {
            return await Broadcasts(userId).Reader.ReadAsync().AsTask().WaitAsync(TestConnection.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"gateway {Id} got no status broadcast about user {userId} within {TestConnection.Timeout}");
        }
    }

    /// <summary>True when a status broadcast about <paramref name="userId"/> is waiting to be read.</summary>
    public bool HasBroadcast(uint userId) => Broadcasts(userId).Reader.TryPeek(out _);

    /// <summary>
    /// Kicks are held (the observer call does not return, as a gateway that does not answer) until the returned
    /// action releases them; then they are delivered.
    /// </summary>
    public Action HoldKicks()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        kickGate = gate.Task;
        return () =>
        {
            kickGate = Task.CompletedTask;
            gate.TrySetResult();
        };
    }

    public async Task KickAsync(long connectionId, uint userId, KickReason reason)
    {
        await kickGate;
        if (connections.TryGetValue(connectionId, out var connection) && connection.UserId == userId)
        {
            connection.Kick(reason);
        }
    }

    /// <summary>
    /// Push calls are lost (nothing delivered, no answer: as calls carried by a silo that died) until the returned
    /// action ends it; the returned task completes when the first one was lost. The lost calls then end without
    /// delivering anything (the client runs one call of an observer at a time: calls that never ended would hold up
    /// every later call to this gateway, which a dead silo does not do).
    /// </summary>
    public (Task FirstLost, Action Stop) LosePushes()
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        losingPushes = Tuple.Create(lost, stopped.Task);
        return (lost.Task, () =>
        {
            losingPushes = null;
            stopped.TrySetResult();
        });
    }

    public Task PushAsync(PushDelivery[] deliveries)
    {
        if (losingPushes is var (lost, stopped))
        {
            lost.TrySetResult();
            return stopped;
        }

        foreach (var delivery in deliveries)
        {
            foreach (var id in delivery.ConnectionIds)
            {
                if (connections.TryGetValue(id, out var connection))
                {
                    foreach (var push in delivery.Pushes)
                    {
                        connection.Record(push);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Recorded per user rather than copied to every PC connection, so that other tests' logins do not show up in a connection's pushes.</summary>
    public Task PushToAllPcAsync(ClientPush push)
    {
        var status = Assert.IsType<UserStatusPush>(push);
        Broadcasts(status.UserId).Writer.TryWrite(status);
        return Task.CompletedTask;
    }

    /// <summary>Recorded per user whose profile changed (as <see cref="PushToAllPcAsync"/>), not copied to connections.</summary>
    public Task PushToAllAsync(ClientPush push)
    {
        var user = push switch
        {
            SignInfoChangedPush s => s.UserId,
            AvatarChangedPush a => a.UserId,
            _ => throw new ArgumentException($"unexpected broadcast to all connections: {push}", nameof(push)),
        };
        AllBroadcasts(user).Writer.TryWrite(push);
        return Task.CompletedTask;
    }

    /// <summary>The next broadcast to every connection (<see cref="PushToAllAsync"/>) about <paramref name="userId"/> this gateway received.</summary>
    public async Task<ClientPush> NextAllBroadcastAsync(uint userId)
    {
        try
        {
            return await AllBroadcasts(userId).Reader.ReadAsync().AsTask().WaitAsync(TestConnection.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"gateway {Id} got no broadcast to all connections about user {userId} within {TestConnection.Timeout}");
        }
    }

    /// <summary>True when a broadcast to every connection about <paramref name="userId"/> is waiting to be read.</summary>
    public bool HasAllBroadcast(uint userId) => AllBroadcasts(userId).Reader.TryPeek(out _);

    /// <summary>How many times a grain asked this gateway which connections of <paramref name="userId"/> it holds.</summary>
    public int Questions(uint userId) => questions.GetValueOrDefault(userId);

    /// <summary>
    /// The next question about <paramref name="userId"/>'s connections is answered only when the test completes
    /// <c>Release</c>; <c>Asked</c> completes when it arrives.
    /// </summary>
    public (Task Asked, TaskCompletionSource Release) HoldQuestion(uint userId)
    {
        var hold = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        held[userId] = hold;
        return (hold.Item1.Task, hold.Item2);
    }

    public async Task<UserConnection[]> GetUserConnectionsAsync(uint userId)
    {
        questions.AddOrUpdate(userId, 1, static (_, n) => n + 1);
        if (held.TryRemove(userId, out var hold))
        {
            hold.Asked.SetResult();
            await hold.Release.Task;
        }

        return unanswered.ContainsKey(userId)
            ? throw new TimeoutException($"gateway {Id} does not answer about user {userId}")
            : [.. Live().Where(c => c.UserId == userId).Select(c => new UserConnection(c.Ref, c.Device))];
    }

    public Task<uint[]> FindPcOnlineAsync(uint[] userIds)
    {
        var online = Live().Where(c => c.Device.IsPc()).Select(c => c.UserId).ToHashSet();
        return Task.FromResult(userIds.Where(online.Contains).Distinct().ToArray());
    }

    private IEnumerable<TestConnection> Live() => connections.Values.Where(c => !c.IsKicked);

    private Channel<ClientPush> AllBroadcasts(uint userId) => allBroadcasts.GetOrAdd(userId, _ => Channel.CreateUnbounded<ClientPush>());

    private Channel<UserStatusPush> Broadcasts(uint userId) => broadcasts.GetOrAdd(userId, _ => Channel.CreateUnbounded<UserStatusPush>());
}
