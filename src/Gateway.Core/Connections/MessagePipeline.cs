using System.Threading.Channels;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// One connection's messages on their way to their conversations: handed over one at a time in the order the client
/// sent them, each after the previous one was committed, while the connection goes on reading. A slow commit therefore
/// never stalls the socket (nor the rate-limit clock, which counts messages as they are read). The commit handles its own
/// failures; one that escapes it is reported to <c>failed</c> (which ends the connection: its client reconnects instead
/// of waiting for acks that would never come), and the messages after it are not handed over.
/// </summary>
internal sealed class MessagePipeline
{
    private readonly Channel<PendingSend> queue;
    private readonly IClientConnection connection;
    private readonly Func<IClientConnection, PendingSend, Task> commit;
    private readonly Action<Exception> failed;

    public MessagePipeline(IClientConnection connection, int capacity, Func<IClientConnection, PendingSend, Task> commit, Action<Exception> failed)
    {
        queue = Channel.CreateBounded<PendingSend>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        this.connection = connection;
        this.commit = commit;
        this.failed = failed;
        Completion = RunAsync();
    }

    /// <summary>Completes when the pipeline was closed and everything in it was handed over.</summary>
    public Task Completion { get; }

    /// <summary>Queues a message; false when the queue is full (the client sends faster than its messages commit) or closed.</summary>
    public bool TryEnqueue(in PendingSend message) => queue.Writer.TryWrite(message);

    /// <summary>No more messages (the connection closed); those queued are still handed over.</summary>
    public void Complete() => queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var message))
                {
                    await commit(connection, message);
                }
            }
        }
        catch (Exception ex)
        {
            queue.Writer.TryComplete();
            failed(ex);
        }
    }
}
