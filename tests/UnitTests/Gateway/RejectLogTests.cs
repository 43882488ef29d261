using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.UnitTests.Gateway;

public sealed class RejectLogTests
{
    private readonly FakeTimeProvider time = new();

    private void Advance(long ms) => time.Advance(TimeSpan.FromMilliseconds(ms));

    [Fact]
    public void First_rejection_is_logged_with_nothing_suppressed()
    {
        var log = new RejectLog(TimeSpan.FromSeconds(1), time);
        Assert.True(log.TryLog(out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void Rejections_within_the_interval_are_counted_and_reported_with_the_next_warning()
    {
        var log = new RejectLog(TimeSpan.FromSeconds(1), time);
        Assert.True(log.TryLog(out _));

        Assert.False(log.TryLog(out var suppressed));
        Assert.Equal(0, suppressed);
        Advance(500);
        Assert.False(log.TryLog(out _));
        Advance(499);
        Assert.False(log.TryLog(out _));

        Advance(1);
        Assert.True(log.TryLog(out suppressed));
        Assert.Equal(3, suppressed);

        // The counter restarted with that warning.
        Advance(1);
        Assert.False(log.TryLog(out _));
        Advance(1_499);
        Assert.True(log.TryLog(out suppressed));
        Assert.Equal(1, suppressed);

        // Nothing dropped since: the next warning reports 0.
        Advance(7_500);
        Assert.True(log.TryLog(out suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void Interval_restarts_from_the_last_warning_not_the_first()
    {
        var log = new RejectLog(TimeSpan.FromMilliseconds(100), time);
        Assert.True(log.TryLog(out _));
        Advance(150);
        Assert.True(log.TryLog(out _));
        Advance(90);
        Assert.False(log.TryLog(out _));
        Advance(10);
        Assert.True(log.TryLog(out var suppressed));
        Assert.Equal(1, suppressed);
    }

    [Fact]
    public void Concurrent_rejections_at_one_instant_log_once_and_count_the_rest()
    {
        var log = new RejectLog(TimeSpan.FromSeconds(1), time);
        var logged = 0;
        Parallel.For(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (log.TryLog(out _))
            {
                Interlocked.Increment(ref logged);
            }
        });

        Assert.Equal(1, logged);
        Advance(1_000);
        Assert.True(log.TryLog(out var suppressed));
        Assert.Equal(999, suppressed);
    }
}
