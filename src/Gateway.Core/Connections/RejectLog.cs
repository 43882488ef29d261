namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Rate limit for logging: a token bucket of <c>burst</c> lines, refilled by one line per <c>interval</c>. With the
/// default burst of one it allows one warning per interval (a connection's rejected input: one a second); with a larger
/// one, bursts pass and a flood gets one line per interval (the gateway-wide budget). What is held back is counted and
/// reported with the next line that passes.
/// </summary>
internal sealed class RejectLog(TimeSpan interval, TimeProvider time, int burst = 1)
{
    private readonly Lock gate = new();

    // The bucket in time (ticks) rather than lines, so that whole intervals count exactly.
    private readonly long capacity = interval.Ticks * burst;
    private long credit = interval.Ticks * burst;
    private long refilled = time.GetTimestamp();
    private int suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressedSinceLast"/> counts the lines held back since the last one.</summary>
    public bool TryLog(out int suppressedSinceLast)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            credit = Math.Min(capacity, credit + time.GetElapsedTime(refilled, now).Ticks);
            refilled = now;
            if (credit >= interval.Ticks)
            {
                credit -= interval.Ticks;
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
