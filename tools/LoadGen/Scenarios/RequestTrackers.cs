using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>The <see cref="RequestTracker"/> of each connection of a request/response worker (history, mixed), behind one lock.</summary>
internal sealed class RequestTrackers
{
    private readonly Dictionary<LeanConnection, RequestTracker> trackers = [];
    private readonly Lock gate = new();

    /// <summary>The tracker of <paramref name="connection"/>, made on first use.</summary>
    public RequestTracker For(LeanConnection connection)
    {
        lock (gate)
        {
            if (!trackers.TryGetValue(connection, out var tracker))
            {
                trackers[connection] = tracker = new RequestTracker();
            }

            return tracker;
        }
    }

    /// <summary>Completes the request of <paramref name="connection"/> that the frame answers; false when it answers none.</summary>
    public bool TryComplete(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        RequestTracker? tracker;
        lock (gate)
        {
            trackers.TryGetValue(connection, out tracker);
        }

        return tracker?.TryComplete(header, body) == true;
    }

    /// <summary>Forgets <paramref name="connection"/> (closed, or replaced by a new login).</summary>
    public void Remove(LeanConnection connection)
    {
        lock (gate)
        {
            trackers.Remove(connection);
        }
    }
}
