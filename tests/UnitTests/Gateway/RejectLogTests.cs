using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.UnitTests.Gateway;

public sealed class RejectLogTests
{
    [Fact]
    public void First_rejection_is_logged_with_nothing_suppressed()
    {
        var log = new RejectLog(TimeSpan.FromSeconds(1));
        Assert.True(log.TryLog(5_000, out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void First_rejection_is_logged_even_at_time_zero_or_below()
    {
        Assert.True(new RejectLog(TimeSpan.FromSeconds(1)).TryLog(0, out _));
        Assert.True(new RejectLog(TimeSpan.FromSeconds(1)).TryLog(-10_000, out _));
    }

    [Fact]
    public void Rejections_within_the_interval_are_counted_and_reported_with_the_next_warning()
    {
        var log = new RejectLog(TimeSpan.FromSeconds(1));
        Assert.True(log.TryLog(10_000, out _));

        Assert.False(log.TryLog(10_000, out var suppressed));
        Assert.Equal(0, suppressed);
        Assert.False(log.TryLog(10_500, out _));
        Assert.False(log.TryLog(10_999, out _));

        Assert.True(log.TryLog(11_000, out suppressed));
        Assert.Equal(3, suppressed);

        // The counter restarted with that warning.
        Assert.False(log.TryLog(11_001, out _));
        Assert.True(log.TryLog(12_500, out suppressed));
        Assert.Equal(1, suppressed);

        // Nothing dropped since: the next warning reports 0.
        Assert.True(log.TryLog(20_000, out suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void Interval_restarts_from_the_last_warning_not_the_first()
    {
        var log = new RejectLog(TimeSpan.FromMilliseconds(100));
        Assert.True(log.TryLog(1_000, out _));
        Assert.True(log.TryLog(1_150, out _));
        Assert.False(log.TryLog(1_240, out _));
        Assert.True(log.TryLog(1_250, out var suppressed));
        Assert.Equal(1, suppressed);
    }

    [Fact]
    public void Concurrent_rejections_at_one_instant_log_once_and_count_the_rest()
    {
        var log = new RejectLog(TimeSpan.FromSeconds(1));
        var logged = 0;
        Parallel.For(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (log.TryLog(50_000, out _))
            {
                Interlocked.Increment(ref logged);
            }
        });

        Assert.Equal(1, logged);
        Assert.True(log.TryLog(51_000, out var suppressed));
        Assert.Equal(999, suppressed);
    }
}
