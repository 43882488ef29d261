using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Diagnostics;

namespace TeamTalk.Orleans.UnitTests.Diagnostics;

public sealed class FaultLogTests : IDisposable
{
    private readonly FakeTimeProvider time = new();
    private readonly CapturingLogger<FaultLogTests> logger = new();
    private readonly FaultLog faults;

    public FaultLogTests()
    {
        faults = new FaultLog("Message sends", logger, time, TimeSpan.FromSeconds(5));
    }

    public void Dispose() => faults.Dispose();

    private static InvalidOperationException Failure(string message = "database unreachable") => new(message);

    [Fact]
    public void Only_the_first_failure_of_a_fault_is_for_the_caller_to_log()
    {
        Assert.False(faults.Faulting);
        Assert.True(faults.Record(Failure()));
        Assert.True(faults.Faulting);
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(faults.Record(Failure()));
        }

        Assert.Empty(logger.Lines); // nothing of its own before the first interval ends
    }

    [Fact]
    public void Failures_after_the_first_are_counted_once_per_interval_with_the_reason()
    {
        faults.Record(Failure());
        for (var i = 0; i < 41; i++)
        {
            faults.Record(Failure("Unable to connect to any of the specified MySQL hosts."));
        }

        time.Advance(TimeSpan.FromSeconds(5));
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("Message sends: 41 more failed in the last 5 s: InvalidOperationException: Unable to connect to any of the specified MySQL hosts.", line.Text);

        for (var i = 0; i < 7; i++)
        {
            faults.Record(Failure());
        }

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, logger.Lines.Count);
        Assert.StartsWith("Message sends: 7 more failed in the last 5 s", logger.Lines[1].Text, StringComparison.Ordinal);
        Assert.True(faults.Faulting);
    }

    [Fact]
    public void A_success_ends_the_fault_and_logs_its_end_with_the_total()
    {
        faults.Record(Failure());
        faults.Record(Failure());
        faults.Record(Failure());
        time.Advance(TimeSpan.FromSeconds(2));
        faults.Recovered();

        Assert.False(faults.Faulting);
        Assert.Equal(2, logger.Lines.Count);
        Assert.Equal("Message sends: 2 more failed in the last 5 s: InvalidOperationException: database unreachable", logger.Lines[0].Text);
        Assert.Equal(LogLevel.Information, logger.Lines[1].Level);
        Assert.Equal("Message sends: failures ended after 2.0 s (3 failed in all)", logger.Lines[1].Text);

        // The next failure starts a new fault, logged in full by the caller again.
        Assert.True(faults.Record(Failure()));
    }

    [Fact]
    public void A_whole_interval_without_failures_ends_the_fault()
    {
        faults.Record(Failure());
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(faults.Faulting);
        var line = Assert.Single(logger.Lines);
        Assert.Equal("Message sends: failures ended after 5.0 s (1 failed in all)", line.Text);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(logger.Lines); // the timer stopped with the fault
    }

    [Fact]
    public void Success_without_a_fault_logs_nothing()
    {
        faults.Recovered();
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(logger.Lines);
    }

    [Fact]
    public async Task Concurrent_failures_are_each_counted_once()
    {
        Assert.True(faults.Record(Failure()));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                Assert.False(faults.Record(Failure()));
            }
        })));
        faults.Recovered();
        Assert.Equal("Message sends: 4000 more failed in the last 5 s: InvalidOperationException: database unreachable", logger.Lines[0].Text);
        Assert.Equal("Message sends: failures ended after 0.0 s (4001 failed in all)", logger.Lines[1].Text);
    }
}
