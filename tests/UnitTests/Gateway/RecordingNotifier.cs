using System.Collections.Concurrent;
using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>Records the disconnect notifications instead of calling a user grain.</summary>
internal sealed class RecordingNotifier : IDisconnectNotifier
{
    private readonly ConcurrentQueue<(long ConnectionId, uint UserId)> calls = new();

    public IReadOnlyCollection<(long ConnectionId, uint UserId)> Calls => calls;

    public Task DisconnectedAsync(long connectionId, uint userId)
    {
        calls.Enqueue((connectionId, userId));
        return Task.CompletedTask;
    }
}
