namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Counts the chat messages (<c>CID_MSG_DATA</c>) this gateway accepted, one interlocked add each, and turns the count
/// into a rate per announcement period for the gateway directory (the console's messages per second).
/// </summary>
internal sealed class MessageRate(TimeProvider time)
{
    private long total;
    private long lastTotal;
    private long lastTimestamp = time.GetTimestamp();

    /// <summary>Messages accepted since start.</summary>
    public long Total => Interlocked.Read(ref total);

    public void Accepted() => Interlocked.Increment(ref total);

    /// <summary>Messages per second since the previous call (since start for the first); called by the announcer only.</summary>
    public double Sample()
    {
        var now = time.GetTimestamp();
        var current = Total;
        var elapsed = time.GetElapsedTime(lastTimestamp, now).TotalSeconds;
        var rate = elapsed > 0 ? (current - lastTotal) / elapsed : 0;
        (lastTotal, lastTimestamp) = (current, now);
        return rate;
    }
}
