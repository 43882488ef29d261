namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// A process-wide budget of log lines (a token bucket): bursts of up to <c>perSecond</c> lines pass, and a flood gets
/// <c>perSecond</c> lines a second; what does not pass is counted and reported with the next line that does.
/// </summary>
internal sealed class LogBudget(int perSecond, TimeProvider time)
{
    private readonly Lock gate = new();
    private double tokens = perSecond;
    private long refilled = time.GetTimestamp();
    private int suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressedSinceLast"/> counts the lines held back since the last one.</summary>
    public bool TryLog(out int suppressedSinceLast)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            tokens = Math.Min(perSecond, tokens + (time.GetElapsedTime(refilled, now).TotalSeconds * perSecond));
            refilled = now;
            if (tokens >= 1)
            {
                tokens -= 1;
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
