using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>The silo's per-gateway push queue: immediate when idle, batched while a call is in flight, in order, bounded.</summary>
public sealed class GatewayPushQueueTests
{
    [Fact]
    public async Task An_idle_queue_sends_at_once_in_a_call_of_its_own()
    {
        var calls = new List<PushDelivery[]>();
        var queue = new GatewayPushQueue("g1", (_, deliveries) => { calls.Add(deliveries); return Task.CompletedTask; }, _ => { });

        await queue.EnqueueAsync(Delivery(1)).WaitAsync(TimeSpan.FromSeconds(10));

        var call = Assert.Single(calls);
        Assert.Equal([1L], Assert.Single(call).ConnectionIds);

        // A waiter continues on the send loop's thread, before the loop finds nothing more to send and goes idle.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!queue.IsIdle)
        {
            Assert.True(DateTime.UtcNow < deadline, "the queue did not go idle");
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Pushes_that_arrive_during_a_call_go_together_in_the_next_call_in_arrival_order()
    {
        var calls = new List<long[]>();
        var firstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new GatewayPushQueue("g1", (_, deliveries) =>
        {
            lock (calls)
            {
                calls.Add([.. deliveries.Select(d => d.ConnectionIds[0])]);
            }

            if (calls.Count == 1)
            {
                firstStarted.SetResult();
                return firstCall.Task;
            }

            return Task.CompletedTask;
        }, _ => { });

        var first = queue.EnqueueAsync(Delivery(1));
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = Enumerable.Range(2, 5).Select(i => queue.EnqueueAsync(Delivery(i))).ToList();

        Assert.False(first.IsCompleted);
        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        firstCall.SetResult();
        await Task.WhenAll(waiting.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, calls.Count);
        Assert.Equal([1L], calls[0]);
        Assert.Equal([2L, 3L, 4L, 5L, 6L], calls[1]);
    }

    [Fact]
    public async Task A_stuck_gateway_holds_at_most_the_capacity_and_counts_what_it_drops_as_failed()
    {
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dropped = 0;
        var queue = new GatewayPushQueue("g1", (_, _) => { started.TrySetResult(); return stuck.Task; }, _ => Interlocked.Increment(ref dropped));

        _ = queue.EnqueueAsync(Delivery(0));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Task<bool>? last = null;
        for (var i = 0; i < GatewayPushQueue.Capacity + 10; i++)
        {
            last = queue.EnqueueAsync(Delivery(i));
        }

        Assert.Equal(10, dropped);

        // A dropped delivery is a failed one: a chat message's conversation retries it.
        Assert.True(last!.IsCompleted);
        Assert.False(await last);
        stuck.SetResult();
    }

    [Fact]
    public async Task More_than_a_batch_is_split_into_calls_of_at_most_the_batch_size()
    {
        var sizes = new List<int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new GatewayPushQueue("g1", (_, deliveries) =>
        {
            sizes.Add(deliveries.Length);
            started.TrySetResult();
            return sizes.Count == 1 ? release.Task : Task.CompletedTask;
        }, _ => { });

        var all = new List<Task> { queue.EnqueueAsync(Delivery(0)) };
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        all.AddRange(Enumerable.Range(1, GatewayPushQueue.MaxBatch + 3).Select(i => queue.EnqueueAsync(Delivery(i))));
        release.SetResult();
        await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, GatewayPushQueue.MaxBatch, 3], sizes);
    }

    private static PushDelivery Delivery(long connectionId) =>
        new([connectionId], [new UserStatusPush((uint)connectionId, Online: true)]);
}
