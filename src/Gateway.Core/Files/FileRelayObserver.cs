using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>This gateway's <see cref="IFileRelayObserver"/>: finds the file connection and lets its session decide. Never waits on a socket.</summary>
internal sealed class FileRelayObserver(FileConnectionRegistry registry) : IFileRelayObserver
{
    public Task PeerReadyAsync(long connectionId, FilePeer peer)
    {
        if (registry.TryGet(connectionId, out var connection))
        {
            connection.Session.PeerReady(peer);
        }

        return Task.CompletedTask;
    }

    public Task PeerGoneAsync(long connectionId)
    {
        if (registry.TryGet(connectionId, out var connection))
        {
            connection.Session.PeerGone();
        }

        return Task.CompletedTask;
    }

    public Task<bool> RelayAsync(long connectionId, FileFrame frame) =>
        Task.FromResult(registry.TryGet(connectionId, out var connection) && connection.Session.AcceptRelayed(frame));
}
