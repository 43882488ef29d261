using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>
/// Hands a PDU to the other side of an online transfer: straight to the connection when it is on this gateway, else
/// through the other gateway's <see cref="IFileRelayObserver"/> (gateway to gateway; no grain in the path). The caller
/// awaits it before reading its client's next frame, so at most one PDU per side is in flight.
/// </summary>
internal sealed class FileRelay(FileConnectionRegistry registry, FileRelayObserver observer, IGrainFactory grains, GatewayIdentity gateway)
{
    /// <summary>Longest wait for the other gateway to take a PDU.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private IFileRelayObserver? reference;

    /// <summary>The side held by <paramref name="connectionId"/> on this gateway, as the task grain and the other side see it.</summary>
    public FilePeer Self(long connectionId) => new(gateway.Id, connectionId, Reference);

    public async Task<bool> SendAsync(FilePeer peer, FileFrame frame)
    {
        if (peer.GatewayId == gateway.Id)
        {
            return registry.TryGet(peer.ConnectionId, out var connection) && connection.Session.AcceptRelayed(frame);
        }

        return await peer.Observer.RelayAsync(peer.ConnectionId, frame).WaitAsync(CallTimeout);
    }

    private IFileRelayObserver Reference
    {
        get
        {
            lock (gate)
            {
                // The observer object is a singleton, so the reference stays valid for the process's lifetime.
                return reference ??= grains.CreateObjectReference<IFileRelayObserver>(observer);
            }
        }
    }
}
