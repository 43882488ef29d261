using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Grains.Conversations;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>The committer's adaptive group commit: it waits only for messages the arrival rate promises, within the bound, on an idle machine.</summary>
public sealed class CommitPacerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(2);

    [Fact]
    public void At_a_moderate_rate_a_shallow_batch_waits_for_the_missing_messages_but_never_past_the_bound()
    {
        var (_, pacer) = PacedAt(perSecond: 1000);

        Assert.InRange(pacer.Rate, 950, 1050);
        Assert.Equal(Bound, pacer.LingerFor(messages: 2, backlog: false));

        // Seven of eight there: one more at ~1,000/s is ~1 ms away.
        Assert.InRange(pacer.LingerFor(messages: 7, backlog: false).TotalMilliseconds, 0.9, 1.1);
    }

    [Fact]
    public void A_full_batch_a_slow_rate_a_backlog_or_a_zero_bound_never_waits()
    {
        var (time, pacer) = PacedAt(perSecond: 1000);
        Assert.Equal(TimeSpan.Zero, pacer.LingerFor(messages: 8, backlog: false));
        Assert.Equal(TimeSpan.Zero, pacer.LingerFor(messages: 1, backlog: true));

        var off = new CommitPacer(time, TimeSpan.Zero, target: 8);
        Arrive(time, off, perSecond: 1000, seconds: 1);
        Assert.Equal(TimeSpan.Zero, off.LingerFor(messages: 1, backlog: false));

        // 100 msgs/s: nobody is expected within 2 ms, so waiting would only add latency.
        var slow = new CommitPacer(time, Bound, target: 8);
        Arrive(time, slow, perSecond: 100, seconds: 1);
        Assert.InRange(slow.Rate, 95, 105);
        Assert.Equal(TimeSpan.Zero, slow.LingerFor(messages: 1, backlog: false));
    }

    [Fact]
    public void When_one_transaction_lasts_long_enough_to_gather_a_full_batch_there_is_no_wait()
    {
        var (_, pacer) = PacedAt(perSecond: 10_000);

        // 10,000/s × 1 ms = 10 messages during a transaction: batches fill by themselves.
        Assert.Equal(TimeSpan.Zero, pacer.LingerFor(messages: 2, backlog: false, lastTransaction: TimeSpan.FromMilliseconds(1)));

        // 10,000/s × 0.5 ms = 5: a short wait still fills the batch (3 more in 0.3 ms).
        Assert.InRange(pacer.LingerFor(messages: 5, backlog: false, lastTransaction: TimeSpan.FromMilliseconds(0.5)).TotalMilliseconds, 0.25, 0.35);
    }

    [Fact]
    public void Above_the_rate_bound_there_is_no_wait()
    {
        var time = new FakeTimeProvider();
        var capped = new CommitPacer(time, Bound, target: 8, maxRate: 3000);
        Arrive(time, capped, perSecond: 2000, seconds: 1);
        Assert.Equal(Bound, capped.LingerFor(messages: 1, backlog: false));

        Arrive(time, capped, perSecond: 4000, seconds: 1);
        Assert.Equal(TimeSpan.Zero, capped.LingerFor(messages: 1, backlog: false));
    }

    [Fact]
    public void A_wait_that_woke_late_turns_lingering_off_for_the_backoff_then_it_resumes()
    {
        var (time, pacer) = PacedAt(perSecond: 1000);

        pacer.Woke(Bound, TimeSpan.FromMilliseconds(7)); // 5 ms late: an idle VM's timers do that; still idle
        Assert.Equal(0, pacer.LateWakeUps);
        Assert.Equal(Bound, pacer.LingerFor(messages: 1, backlog: false));

        pacer.Woke(Bound, TimeSpan.FromMilliseconds(15)); // 13 ms late: the CPU is saturated
        Assert.Equal(1, pacer.LateWakeUps);
        Assert.Equal(TimeSpan.Zero, pacer.LingerFor(messages: 1, backlog: false));

        time.Advance(CommitPacer.BusyBackoff);
        Assert.Equal(Bound, pacer.LingerFor(messages: 1, backlog: false));
    }

    [Fact]
    public void The_rate_follows_a_drop_within_the_window()
    {
        var (time, pacer) = PacedAt(perSecond: 5000);
        Assert.InRange(pacer.Rate, 4750, 5250);

        // A second of quiet, then one message: the rate is that of the quiet second.
        time.Advance(TimeSpan.FromSeconds(1));
        pacer.Took(1);
        Assert.InRange(pacer.Rate, 0, 2);
        Assert.Equal(TimeSpan.Zero, pacer.LingerFor(messages: 1, backlog: false));
    }

    /// <summary>A pacer (2 ms bound, target 8) after a second of takes at <paramref name="perSecond"/>, and its clock.</summary>
    private static (FakeTimeProvider Time, CommitPacer Pacer) PacedAt(int perSecond)
    {
        var time = new FakeTimeProvider();
        var pacer = new CommitPacer(time, Bound, target: 8);
        Arrive(time, pacer, perSecond, seconds: 1);
        return (time, pacer);
    }

    /// <summary>Takes of one message each at <paramref name="perSecond"/> for <paramref name="seconds"/>.</summary>
    private static void Arrive(FakeTimeProvider time, CommitPacer pacer, int perSecond, int seconds)
    {
        var gap = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
        for (var i = 0; i < perSecond * seconds; i++)
        {
            time.Advance(gap);
            pacer.Took(1);
        }
    }
}
