using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>A connection's messages go to their Sessions one at a time, in order, without blocking the enqueuer.</summary>
public sealed class MessagePipelineTests
{
    private static PendingSend Message(ushort seq) => new(
        new PacketHeader(16, 1, 0, 3, 0x0301, seq, 0),
        false,
        new SendMessage(1, 2, new ConnectionRef("g", 1), MessageType.SingleText, [1]));

    [Fact]
    public async Task Messages_are_handed_over_in_order_one_after_the_other()
    {
        var handed = new List<ushort>();
        var running = 0;
        var overlapped = false;
        var release = new TaskCompletionSource();
        var pipeline = new MessagePipeline(new TestConnection().Connection, 16, async (_, m) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await release.Task;
            handed.Add(m.Header.SeqNum);
            Interlocked.Decrement(ref running);
        }, ex => Assert.Fail(ex.ToString()));

        for (ushort seq = 1; seq <= 5; seq++)
        {
            Assert.True(pipeline.TryEnqueue(Message(seq)), "enqueueing never waits for a commit");
        }

        release.SetResult();
        pipeline.Complete();
        await pipeline.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 3, 4, 5], handed);
        Assert.False(overlapped, "one message at a time");
    }

    [Fact]
    public async Task A_full_queue_refuses_more()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new MessagePipeline(new TestConnection().Connection, 2, (_, _) =>
        {
            started.TrySetResult();
            return release.Task;
        }, ex => Assert.Fail(ex.ToString()));
        Assert.True(pipeline.TryEnqueue(Message(1)));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the first is being handed over
        Assert.True(pipeline.TryEnqueue(Message(2)));
        Assert.True(pipeline.TryEnqueue(Message(3)));
        Assert.False(pipeline.TryEnqueue(Message(4)));
        release.SetResult();
        pipeline.Complete();
        await pipeline.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_failure_that_escapes_a_commit_is_reported_once_and_stops_the_pipeline()
    {
        var handed = new List<ushort>();
        var failures = new List<Exception>();
        var pipeline = new MessagePipeline(new TestConnection().Connection, 16, (_, m) =>
        {
            handed.Add(m.Header.SeqNum);
            return m.Header.SeqNum == 2 ? Task.FromException(new IOException("disk")) : Task.CompletedTask;
        }, failures.Add);

        for (ushort seq = 1; seq <= 3; seq++)
        {
            Assert.True(pipeline.TryEnqueue(Message(seq)));
        }

        await pipeline.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2], handed);
        Assert.IsType<IOException>(Assert.Single(failures));
        Assert.False(pipeline.TryEnqueue(Message(4)), "a failed pipeline takes no more messages");
    }
}
