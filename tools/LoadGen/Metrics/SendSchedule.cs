namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>
/// The open-loop send plan of one sender in rate mode: message k is due at
/// <c>start + phase + k / rate</c>, whatever happened to earlier messages. Latency is measured from this intended time,
/// not from when the message actually left (coordinated omission: a stalled server or load generator shows up as
/// latency instead of silently lowering the offered load). Times are <see cref="System.Diagnostics.Stopwatch"/> ticks.
/// </summary>
internal sealed class SendSchedule
{
    private readonly long start;
    private readonly double intervalTicks;
    private readonly long endExclusive;

    /// <param name="start">Ticks of the schedule's origin.</param>
    /// <param name="ratePerSecond">Messages per second (&gt; 0).</param>
    /// <param name="phase">Fraction of one interval (0..1) to offset this sender by, so that senders do not fire together.</param>
    /// <param name="end">No message is due at or after this tick.</param>
    /// <param name="ticksPerSecond">Tick frequency (Stopwatch.Frequency).</param>
    public SendSchedule(long start, double ratePerSecond, double phase, long end, long ticksPerSecond)
    {
        if (ratePerSecond <= 0 || double.IsNaN(ratePerSecond) || double.IsInfinity(ratePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "must be positive");
        }

        if (phase is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "must be in [0, 1)");
        }

        intervalTicks = ticksPerSecond / ratePerSecond;
        this.start = start + (long)(phase * intervalTicks);
        endExclusive = end;
    }

    /// <summary>The next message not yet sent.</summary>
    public long Next { get; private set; }

    /// <summary>Intended send time of message <paramref name="k"/>.</summary>
    public long IntendedTime(long k) => start + (long)(k * intervalTicks);

    /// <summary>Number of messages the schedule holds in total (those due before the end).</summary>
    public long TotalMessages => endExclusive <= start ? 0 : (long)Math.Ceiling((endExclusive - start) / intervalTicks);

    /// <summary>True when every message of the schedule was taken.</summary>
    public bool Finished => Next >= TotalMessages;

    /// <summary>
    /// Takes the next message that is due at <paramref name="now"/> (intended time ≤ now and before the end). Overdue
    /// messages are all taken, one call each, in order: the sender catches up at once rather than skipping.
    /// </summary>
    public bool TryTakeDue(long now, out long k, out long intended)
    {
        k = Next;
        intended = IntendedTime(k);
        if (k >= TotalMessages || intended > now)
        {
            return false;
        }

        Next = k + 1;
        return true;
    }

    /// <summary>When the next message is due (long.MaxValue when finished).</summary>
    public long NextDue => Finished ? long.MaxValue : IntendedTime(Next);
}
