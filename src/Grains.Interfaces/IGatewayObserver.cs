using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per gateway process: grains push to a gateway's client connections through it. Registered with the
/// <see cref="IGatewayDirectoryGrain"/> and re-registered on a timer (observer lists live in memory).
/// </summary>
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>Sends <c>IMKickUser</c> to the connection, stops serving it and closes it after a short grace period.</summary>
    Task KickAsync(long connectionId, uint userId, KickReason reason);

    /// <summary>
    /// Queues each delivery's pushes, in order, on each of its logged-in connections (kicked or closed ones are skipped);
    /// deliveries in array order. A silo sends whatever it has for this gateway in one call (see GatewayPushQueue).
    /// </summary>
    Task PushAsync(PushDelivery[] deliveries);

    /// <summary>Queues <paramref name="push"/> on every logged-in PC-class connection of this gateway (org-wide broadcasts).</summary>
    Task PushToAllPcAsync(ClientPush push);

    /// <summary>The logged-in connections this gateway holds for <paramref name="userId"/>.</summary>
    Task<UserConnection[]> GetUserConnectionsAsync(uint userId);

    /// <summary>The ids among <paramref name="userIds"/> with a logged-in PC-class connection on this gateway (kicked ones do not count).</summary>
    Task<uint[]> FindPcOnlineAsync(uint[] userIds);

    /// <summary>
    /// Queues <paramref name="push"/> on every logged-in connection of this gateway, PC and mobile (kicked ones are
    /// skipped): organisation-wide profile changes (behaviour.md 3.6.8).
    /// </summary>
    Task PushToAllAsync(ClientPush push);
}
