using System.Collections.Concurrent;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// The connections this gateway holds, by connection id and, once logged in, by user. The only state a gateway
/// keeps; grains reach it through the gateway's observer.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, ClientConnection> connections = new();
    private readonly Dictionary<uint, List<ClientConnection>> byUser = [];
    private readonly Lock userGate = new();
    private long nextId;
    private int loggedIn;
    private volatile bool draining;

    /// <summary>Connections open now (logged in or not).</summary>
    public int Count => connections.Count;

    /// <summary>Logged-in connections (what discovery balances on).</summary>
    public int LoggedInCount => Volatile.Read(ref loggedIn);

    /// <summary>The gateway is stopping: new connections are closed at once and discovery no longer names it.</summary>
    public bool IsDraining => draining;

    public long NextId() => Interlocked.Increment(ref nextId);

    /// <summary>
    /// Starts the drain of a graceful stop and answers the connections to close. A connection added from now on sees
    /// <see cref="IsDraining"/> after adding itself and closes itself, so none escapes both.
    /// </summary>
    public IReadOnlyList<ClientConnection> BeginDrain()
    {
        draining = true;
        return [.. connections.Values];
    }

    public void Add(ClientConnection connection) => connections[connection.Id] = connection;

    public bool TryGet(long id, out ClientConnection connection) => connections.TryGetValue(id, out connection!);

    public ICollection<ClientConnection> All => connections.Values;

    /// <summary>Indexes a connection that just logged in under its user; true when it is the user's only one here.</summary>
    public bool AddLoggedIn(ClientConnection connection)
    {
        bool alone;
        lock (userGate)
        {
            if (!byUser.TryGetValue(connection.UserId, out var list))
            {
                byUser[connection.UserId] = list = new List<ClientConnection>(2);
            }

            list.Add(connection);
            alone = list.Count == 1;
        }

        Interlocked.Increment(ref loggedIn);
        return alone;
    }

    /// <summary>Removes a connection from its user's index (kick or close); true when it was there.</summary>
    public bool RemoveLoggedIn(ClientConnection connection)
    {
        lock (userGate)
        {
            if (!byUser.TryGetValue(connection.UserId, out var list) || !list.Remove(connection))
            {
                return false;
            }

            if (list.Count == 0)
            {
                byUser.Remove(connection.UserId);
            }
        }

        Interlocked.Decrement(ref loggedIn);
        return true;
    }

    /// <summary>Forgets a closed connection.</summary>
    public void Remove(ClientConnection connection)
    {
        RemoveLoggedIn(connection);
        connections.TryRemove(connection.Id, out _);
    }

    /// <summary>The ids among <paramref name="userIds"/> with a logged-in PC-class connection here (each id once).</summary>
    public uint[] FindPcOnline(IEnumerable<uint> userIds)
    {
        var found = new HashSet<uint>();
        lock (userGate)
        {
            foreach (var userId in userIds)
            {
                if (byUser.TryGetValue(userId, out var list) && list.Exists(c => c.Device.IsPc()))
                {
                    found.Add(userId);
                }
            }
        }

        return [.. found];
    }

    /// <summary>The logged-in connections of a user on this gateway.</summary>
    public UserConnection[] GetUserConnections(uint userId, string gatewayId)
    {
        lock (userGate)
        {
            return byUser.TryGetValue(userId, out var list)
                ? [.. list.Select(c => new UserConnection(new ConnectionRef(gatewayId, c.Id), c.Device))]
                : [];
        }
    }
}
