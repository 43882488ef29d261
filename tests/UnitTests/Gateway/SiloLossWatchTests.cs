using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway.Cluster;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>
/// Grain calls on their way when a silo connection drops: failed after the grace unless answered, never otherwise
/// (<see cref="SiloLossWatch"/>, issue 12).
/// </summary>
public sealed class SiloLossWatchTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider clock = new();

    private SiloLossWatch Watch(TimeSpan? grace = null) => new(grace ?? Grace, clock, NullLogger<SiloLossWatch>.Instance);

    [Fact]
    public async Task A_call_on_its_way_when_a_silo_connection_drops_fails_after_the_grace_if_unanswered()
    {
        var watch = Watch();
        var lostCall = new TaskCompletionSource<int>();
        var bounded = watch.BoundAsync(lostCall.Task);

        watch.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        clock.Advance(Grace - TimeSpan.FromMilliseconds(1));
        Assert.False(bounded.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var failure = await Assert.ThrowsAsync<SiloUnavailableException>(() => bounded.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("dropped", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, watch.CutCalls);

        // The answer that never came ends as the response timeout: nobody waits for it any more, nothing breaks.
        lostCall.SetException(new TimeoutException("response timeout"));
    }

    [Fact]
    public async Task A_call_answered_within_the_grace_keeps_its_answer()
    {
        var watch = Watch();
        var call = new TaskCompletionSource<int>();
        var bounded = watch.BoundAsync(call.Task);

        watch.NotifyClusterConnectionLost();
        clock.Advance(Grace / 2);
        call.SetResult(7);
        await bounded.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(Grace);

        Assert.True(bounded.IsCompletedSuccessfully);
        Assert.Equal(0, watch.CutCalls);
    }

    [Fact]
    public async Task Calls_made_after_the_drop_and_calls_while_connections_only_open_are_not_cut()
    {
        var watch = Watch();
        watch.NotifyGatewayCountChanged(2, 1, connectionRecovered: true); // a connection opened: nothing is lost
        var before = new TaskCompletionSource<int>();
        var boundedBefore = watch.BoundAsync(before.Task);
        clock.Advance(Grace * 3);
        Assert.False(boundedBefore.IsCompleted);

        watch.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        var after = new TaskCompletionSource<int>();
        var boundedAfter = watch.BoundAsync(after.Task);
        clock.Advance(Grace);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => boundedBefore.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(boundedAfter.IsCompleted);
        after.SetResult(1);
        await boundedAfter;
        Assert.Equal(1, watch.CutCalls);
        before.SetResult(0);
    }

    [Fact]
    public void With_no_grace_nothing_is_cut_and_a_finished_call_is_returned_as_it_is()
    {
        var watch = Watch(TimeSpan.Zero);
        var call = new TaskCompletionSource<int>();
        var bounded = watch.BoundAsync(call.Task);
        Assert.Same(call.Task, bounded);

        watch.NotifyClusterConnectionLost();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(bounded.IsCompleted);

        var done = Task.CompletedTask;
        Assert.Same(done, Watch().BoundAsync(done));
    }
}
