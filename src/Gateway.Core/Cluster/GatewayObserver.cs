using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>
/// This gateway's observer: grains reach its connections through it. It only queues frames on connections (never
/// waits on a socket), so a grain's call returns at once. A chat message a connection already got (conversations
/// deliver at least once) is dropped (<see cref="PushedMessages"/>).
/// </summary>
internal sealed class GatewayObserver(
    ConnectionRegistry registry,
    GatewayIdentity gateway,
    ConnectionLog log) : IGatewayObserver
{
    public Task KickAsync(long connectionId, uint userId, KickReason reason)
    {
        var notice = OutboundFrame.Message(CommandKeys.KickUser, 0, new IMKickUser { UserId = userId, KickReason = (KickReasonType)(uint)reason });
        if (!registry.TryGet(connectionId, out var connection) || connection.UserId != userId || !connection.TryKick(notice))
        {
            return Task.CompletedTask;
        }

        log.Kicked(connection.Id, userId, reason.ToString());
        return Task.CompletedTask;
    }

    public Task PushAsync(PushDelivery[] deliveries)
    {
        // A group message goes to each member in a delivery of its own, and one call carries many of them: the same
        // push object (Orleans keeps object identity within a call) is encoded once for all of them.
        var encoded = deliveries.Length > 1 ? new Dictionary<ClientPush, OutboundFrame>(ReferenceEqualityComparer.Instance) : null;
        foreach (var delivery in deliveries)
        {
            var frames = Encode(delivery.Pushes, encoded);
            foreach (var id in delivery.ConnectionIds)
            {
                if (registry.TryGet(id, out var connection))
                {
                    for (var i = 0; i < frames.Length; i++)
                    {
                        // Conversations deliver at least once: a message this connection already got is not shown again.
                        if (delivery.Pushes[i] is not MessagePush message || connection.Pushed.TryAdvance(message))
                        {
                            connection.TryPush(frames[i]);
                        }
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task PushToAllPcAsync(ClientPush push)
    {
        var frame = Encode([push], null)[0];
        foreach (var connection in registry.All)
        {
            if (connection.UserId != 0 && connection.Device.IsPc())
            {
                connection.TryPush(frame);
            }
        }

        return Task.CompletedTask;
    }

    public Task PushToAllAsync(ClientPush push)
    {
        var frame = Encode([push], null)[0];
        foreach (var connection in registry.All)
        {
            if (connection.UserId != 0)
            {
                connection.TryPush(frame);
            }
        }

        return Task.CompletedTask;
    }

    public Task<UserConnection[]> GetUserConnectionsAsync(uint userId) =>
        Task.FromResult(registry.GetUserConnections(userId, gateway.Id));

    public Task<uint[]> FindPcOnlineAsync(uint[] userIds) => Task.FromResult(registry.FindPcOnline(userIds));

    /// <summary>Encodes each push once, whatever the number of connections (and, with <paramref name="encoded"/>, deliveries) it goes to.</summary>
    private static OutboundFrame[] Encode(ClientPush[] pushes, Dictionary<ClientPush, OutboundFrame>? encoded)
    {
        var frames = new OutboundFrame[pushes.Length];
        for (var i = 0; i < pushes.Length; i++)
        {
            if (encoded is not null && encoded.TryGetValue(pushes[i], out var frame))
            {
                frames[i] = frame;
                continue;
            }

            var (command, body) = PushEncoder.Encode(pushes[i]);
            frames[i] = OutboundFrame.Message(command, 0, body);
            encoded?.Add(pushes[i], frames[i]);
        }

        return frames;
    }
}
