using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.Grains.User;

/// <summary>
/// One per user: the user's live connections on every gateway and the kick rules. Connections are not persisted: on
/// activation the grain asks every live gateway which connections it holds for the user (the gateways are the truth
/// about sockets), so a grain reactivated after its silo died, or after idle collection, knows them again at once.
/// </summary>
public sealed partial class UserGrain(GatewayRouter router, ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private readonly List<UserConnection> connections = [];

    private uint UserId => (uint)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var routes = await router.GetRoutesAsync();
        var found = await router.CallAsync(routes.Keys, observer => observer.GetUserConnectionsAsync(UserId));
        foreach (var batch in found)
        {
            connections.AddRange(batch);
        }

        if (connections.Count > 0)
        {
            LogRecovered(UserId, connections.Count);
        }
    }

    public async Task ConnectAsync(UserConnection connection)
    {
        await DropConnectionsOfDeadGatewaysAsync();
        var kicked = connections.FindAll(c => c.Connection != connection.Connection && c.Device.SameClassAs(connection.Device));
        if (kicked.Count > 0)
        {
            connections.RemoveAll(kicked.Contains);
            foreach (var group in kicked.GroupBy(k => k.Connection.GatewayId))
            {
                var ids = group.Select(k => k.Connection.ConnectionId).ToArray();
                await router.CallAsync([group.Key], async observer =>
                {
                    foreach (var id in ids)
                    {
                        await observer.KickAsync(id, UserId, KickReason.DuplicateUser);
                    }

                    return ids.Length;
                });
            }

            LogKicked(UserId, kicked.Count, connection.Device);
        }

        if (!connections.Exists(c => c.Connection == connection.Connection))
        {
            connections.Add(connection);
        }
    }

    public Task DisconnectAsync(ConnectionRef connection)
    {
        connections.RemoveAll(c => c.Connection == connection);
        return Task.CompletedTask;
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

    private async Task DropConnectionsOfDeadGatewaysAsync()
    {
        if (connections.Count == 0)
        {
            return;
        }

        var routes = await router.GetRoutesAsync();
        var dropped = connections.RemoveAll(c => !routes.ContainsKey(c.Connection.GatewayId));
        if (dropped > 0)
        {
            LogDroppedDead(UserId, dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: recovered {Count} live connections from the gateways")]
    private partial void LogRecovered(uint userId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: kicked {Count} connections for a new {Device} login")]
    private partial void LogKicked(uint userId, int count, DeviceType device);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: dropped {Count} connections of gateways that are gone")]
    private partial void LogDroppedDead(uint userId, int count);
}
