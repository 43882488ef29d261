namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Rate limit for logging rejected input of one connection: at most one warning per interval; what is dropped in
/// between is counted and reported with the next warning.
/// </summary>
internal sealed class RejectLog(TimeSpan interval)
{
    private readonly long intervalMs = (long)interval.TotalMilliseconds;
    private readonly Lock gate = new();
    private long nextAllowedMs = long.MinValue;
    private int suppressed;

    /// <summary>True when a warning may be written now; <paramref name="suppressedSinceLast"/> counts rejections not logged since the last one.</summary>
    public bool TryLog(long nowMs, out int suppressedSinceLast)
    {
        lock (gate)
        {
            if (nowMs >= nextAllowedMs)
            {
                nextAllowedMs = nowMs + intervalMs;
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
