using TeamTalk.Orleans.LoadGen.Metrics;

namespace TeamTalk.Orleans.LoadGen.Tests;

public sealed class ScheduleTests
{
    private const long Frequency = 1_000_000; // ticks per second in these tests: 1 tick = 1 µs

    [Fact]
    public void Messages_are_due_at_start_plus_k_over_rate()
    {
        var s = new SendSchedule(start: 1_000, ratePerSecond: 20, phase: 0, end: 1_000 + Frequency, Frequency);
        Assert.Equal(20, s.TotalMessages);
        Assert.Equal(1_000, s.IntendedTime(0));
        Assert.Equal(1_000 + 50_000, s.IntendedTime(1));
        Assert.Equal(1_000 + (19 * 50_000), s.IntendedTime(19));
    }

    [Fact]
    public void The_phase_shifts_every_message_by_a_fraction_of_the_interval()
    {
        var s = new SendSchedule(start: 0, ratePerSecond: 10, phase: 0.5, end: Frequency, Frequency);
        Assert.Equal(50_000, s.IntendedTime(0));
        Assert.Equal(150_000, s.IntendedTime(1));
        Assert.Equal(10, s.TotalMessages);
    }

    [Fact]
    public void Nothing_is_due_before_its_time()
    {
        var s = new SendSchedule(0, 10, 0, Frequency, Frequency);
        Assert.True(s.TryTakeDue(0, out var k, out var intended));
        Assert.Equal(0, k);
        Assert.Equal(0, intended);
        Assert.False(s.TryTakeDue(99_999, out _, out _));
        Assert.Equal(100_000, s.NextDue);
    }

    [Fact]
    public void A_stalled_sender_catches_up_with_every_overdue_message_keeping_their_intended_times()
    {
        // Coordinated omission: after a 350 ms stall the overdue messages are all sent, and each keeps the time it
        // was due, so their latency includes the stall.
        var s = new SendSchedule(0, 10, 0, Frequency, Frequency);
        var taken = new List<(long K, long Intended)>();
        while (s.TryTakeDue(350_000, out var k, out var intended))
        {
            taken.Add((k, intended));
        }

        Assert.Equal([(0L, 0L), (1L, 100_000L), (2L, 200_000L), (3L, 300_000L)], taken);
        Assert.Equal(400_000, s.NextDue);
    }

    [Fact]
    public void The_schedule_ends_before_its_end_time()
    {
        var s = new SendSchedule(0, 10, 0, 250_000, Frequency);
        var count = 0;
        while (s.TryTakeDue(long.MaxValue / 2, out _, out var intended))
        {
            Assert.True(intended < 250_000);
            count++;
        }

        Assert.Equal(3, count);
        Assert.True(s.Finished);
        Assert.Equal(long.MaxValue, s.NextDue);
    }

    [Fact]
    public void Offered_load_over_a_window_is_rate_times_duration()
    {
        var s = new SendSchedule(0, 18, 0.37, 60 * Frequency, Frequency);
        Assert.InRange(s.TotalMessages, (18 * 60) - 1, 18 * 60);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(-1.0, 0.0)]
    [InlineData(10.0, 1.0)]
    [InlineData(10.0, -0.1)]
    public void Bad_rates_and_phases_are_refused(double rate, double phase) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendSchedule(0, rate, phase, Frequency, Frequency));
}
