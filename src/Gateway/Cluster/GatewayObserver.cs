using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>
/// This gateway's observer: grains reach its connections through it. It only queues frames on connections (never
/// waits on a socket), so a grain's call returns at once.
/// </summary>
internal sealed class GatewayObserver(
    ConnectionRegistry registry,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options,
    ConnectionLog log) : IGatewayObserver
{
    private readonly TimeSpan grace = options.Value.KickGracePeriod;

    public Task KickAsync(long connectionId, uint userId, KickReason reason)
    {
        if (!registry.TryGet(connectionId, out var connection) || connection.UserId != userId || !connection.TryKick())
        {
            return Task.CompletedTask;
        }

        registry.RemoveLoggedIn(connection);
        log.Kicked(connection.Id, userId, reason.ToString());
        connection.TrySend(OutboundFrame.Message(CommandKeys.KickUser, 0, new IMKickUser
        {
            UserId = userId,
            KickReason = (KickReasonType)(uint)reason,
        }));
        _ = CloseLaterAsync(connection);
        return Task.CompletedTask;
    }

    public Task<UserConnection[]> GetUserConnectionsAsync(uint userId) =>
        Task.FromResult(registry.GetUserConnections(userId, gateway.Id));

    private async Task CloseLaterAsync(ClientConnection connection)
    {
        try
        {
            await Task.Delay(grace, connection.Closed);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        connection.CloseAfterFlush();
    }
}
