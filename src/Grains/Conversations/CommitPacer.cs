namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// Decides whether the committer waits a little before a transaction so that it holds more messages (a group commit
/// that adapts to the arrival rate). Every transaction has a fixed cost (two round trips, MariaDB's parse and durable
/// log write); at a moderate rate a transaction otherwise holds only the one or two messages that arrived while the
/// previous one ran. The pacer measures the arrival rate (messages taken per second, smoothed over about
/// <see cref="RateWindow"/>) and asks for a wait only when all of these hold:
/// <list type="bullet">
/// <item>the batch is shallow (fewer than <see cref="MessageCommitterOptions.LingerTargetMessages"/> messages);</item>
/// <item>at the measured rate at least one more message is expected within the bound
/// (<see cref="MessageCommitterOptions.MaxLingerMicroseconds"/>): waiting for nobody only adds latency;</item>
/// <item>the machine is idle: the previous wait did not wake more than <see cref="LateBy"/> late (timers fire that late
/// when the CPU is saturated; lingering then stops for <see cref="BusyBackoff"/>) and the caller reports no backlog of
/// runnable work.</item>
/// </list>
/// The wait is the time the missing messages are expected to take, never more than the bound. Not thread-safe: the
/// committer's single loop uses it.
/// </summary>
public sealed class CommitPacer
{
    /// <summary>The arrival rate is an exponentially weighted average with this time constant.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>How long lingering stays off after a wait that woke late.</summary>
    public static readonly TimeSpan BusyBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A wait that woke this much after its bound means the CPU is saturated. Not less: on an idle 2-core VM a third of
    /// 1–2 ms waits overrun by more than 2 ms (38 of 108 in the everyday stage, 2026-12-04), and a bound that small
    /// turned lingering off nearly all the time (1.4 messages per transaction at 900 msgs/s with or without it).
    /// </summary>
    public static readonly TimeSpan LateBy = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider time;
    private readonly TimeSpan maxLinger;
    private readonly int target;
    private readonly double maxRate;
    private long lastTaken;
    private long busyUntil;
    private double rate;

    /// <param name="time">The clock (timestamps of <see cref="TimeProvider.GetTimestamp"/>).</param>
    /// <param name="maxLinger">The longest wait; zero turns lingering off.</param>
    /// <param name="target">A batch with this many messages does not wait.</param>
    /// <param name="maxRate">Above this arrival rate (messages per second) there is no wait.</param>
    public CommitPacer(TimeProvider time, TimeSpan maxLinger, int target, double maxRate = double.PositiveInfinity)
    {
        this.time = time;
        this.maxLinger = maxLinger;
        this.target = target;
        this.maxRate = maxRate;
        lastTaken = time.GetTimestamp();
    }

    /// <summary>A batch with this many messages does not wait.</summary>
    public int Target => target;

    /// <summary>The measured arrival rate (messages per second).</summary>
    public double Rate => rate;

    /// <summary>Lingers asked for so far.</summary>
    public long Lingers { get; private set; }

    /// <summary>Lingers that woke late (the machine was busy).</summary>
    public long LateWakeUps { get; private set; }

    /// <summary>The committer took <paramref name="messages"/> from its queue (every take, lingering or not).</summary>
    public void Took(int messages)
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(lastTaken, now).TotalSeconds;
        lastTaken = now;
        if (elapsed <= 0)
        {
            // Same tick: counted with the next take's interval.
            rate += messages / RateWindow.TotalSeconds;
            return;
        }

        // Messages over the interval they arrived in, weighted by how much of the window the interval covers.
        var weight = 1 - Math.Exp(-elapsed / RateWindow.TotalSeconds);
        rate += weight * ((messages / elapsed) - rate);
    }

    /// <summary>
    /// How long to wait before committing a batch of <paramref name="messages"/>; <see cref="TimeSpan.Zero"/> for no
    /// wait. <paramref name="backlog"/> tells that other work is waiting for the CPU (the thread pool's queue);
    /// <paramref name="lastTransaction"/> is how long the previous transaction took: when the messages arriving during
    /// one transaction already make a full batch, the rate is high enough that batches fill by themselves, and a wait
    /// would only hold the single transaction in flight. Above <see cref="MessageCommitterOptions.LingerMaxRate"/> there is
    /// no wait either: near the machine's limit every wake-up counts (at 10,008 msgs/s lingering raised the ack p99
    /// from 0.07–1.9 s to 1.3–8.2 s in three runs each).
    /// </summary>
    public TimeSpan LingerFor(int messages, bool backlog, TimeSpan lastTransaction = default)
    {
        if (maxLinger <= TimeSpan.Zero || messages >= target || backlog || time.GetTimestamp() < busyUntil
            || rate * lastTransaction.TotalSeconds >= target || rate > maxRate)
        {
            return TimeSpan.Zero;
        }

        var expectedInBound = rate * maxLinger.TotalSeconds;
        if (expectedInBound < 1)
        {
            return TimeSpan.Zero;
        }

        var wait = TimeSpan.FromSeconds((target - messages) / rate);
        Lingers++;
        return wait < maxLinger ? wait : maxLinger;
    }

    /// <summary>A wait of <paramref name="asked"/> took <paramref name="took"/>; a late wake-up turns lingering off for a while.</summary>
    public void Woke(TimeSpan asked, TimeSpan took)
    {
        if (took - asked > LateBy)
        {
            LateWakeUps++;
            busyUntil = time.GetTimestamp() + (long)(BusyBackoff.TotalSeconds * time.TimestampFrequency);
        }
    }
}
