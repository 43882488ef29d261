using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Tells the user grain of a closed connection (presence, offline notices): a failed call is retried a few times,
/// one second more apart each time.
/// </summary>
internal sealed class UserGrainDisconnectNotifier(IGrainFactory grains, GatewayIdentity gateway, ConnectionLog log, TimeProvider time) : IDisconnectNotifier
{
    private const int Attempts = 3;

    public async Task DisconnectedAsync(long connectionId, uint userId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetUserGrain(userId).DisconnectAsync(new ConnectionRef(gateway.Id, connectionId));
                return;
            }
            catch (Exception ex) when (attempt < Attempts)
            {
                log.DisconnectNotifyFailed(ex, connectionId, userId);
                await Task.Delay(TimeSpan.FromSeconds(attempt), time);
            }
            catch (Exception ex)
            {
                log.DisconnectNotifyFailed(ex, connectionId, userId);
                return;
            }
        }
    }
}
