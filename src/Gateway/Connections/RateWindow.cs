namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// A fixed one-second window counter (the original's per-tick limit): at most N accepted per window; the excess is
/// counted so that it can be reported in one line.
/// </summary>
internal sealed class RateWindow
{
    private readonly Lock gate = new();
    private long windowStartMs = -1000; // TickCount64 starts at 0 at boot: the first call opens a window
    private int accepted;
    private int dropped;

    /// <summary>True when one more may be accepted in the window containing <paramref name="nowMs"/>.</summary>
    public bool TryAccept(long nowMs, int limit)
    {
        lock (gate)
        {
            if (nowMs - windowStartMs >= 1000)
            {
                windowStartMs = nowMs;
                accepted = 0;
            }

            if (accepted < limit)
            {
                accepted++;
                return true;
            }

            dropped++;
            return false;
        }
    }

    /// <summary>How many were dropped since the last call (and resets the count).</summary>
    public int TakeDropped()
    {
        lock (gate)
        {
            var count = dropped;
            dropped = 0;
            return count;
        }
    }
}
