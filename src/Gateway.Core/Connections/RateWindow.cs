namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// A fixed one-second window counter (the original's per-tick limit): at most N accepted per window; the excess is
/// counted so that it can be reported in one line.
/// </summary>
internal sealed class RateWindow(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private bool opened;
    private long windowStart;
    private int accepted;
    private int dropped;

    /// <summary>True when one more may be accepted in the window containing <paramref name="timestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public bool TryAccept(long timestamp, int limit)
    {
        lock (gate)
        {
            if (!opened || time.GetElapsedTime(windowStart, timestamp) >= Window)
            {
                opened = true;
                windowStart = timestamp;
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
