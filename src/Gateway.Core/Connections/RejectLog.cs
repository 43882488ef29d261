namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Rate limit for logging rejected input of one connection: at most one warning per interval; what is dropped in
/// between is counted and reported with the next warning.
/// </summary>
internal sealed class RejectLog(TimeSpan interval, TimeProvider time)
{
    private readonly Lock gate = new();
    private bool logged;
    private long lastLogged;
    private int suppressed;

    /// <summary>True when a warning may be written now; <paramref name="suppressedSinceLast"/> counts rejections not logged since the last one.</summary>
    public bool TryLog(out int suppressedSinceLast)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            if (!logged || time.GetElapsedTime(lastLogged, now) >= interval)
            {
                logged = true;
                lastLogged = now;
                suppressedSinceLast = suppressed;
                suppressed = 0;
                return true;
            }

            suppressed++;
            suppressedSinceLast = 0;
            return false;
        }
    }
}
