using System.Threading.Channels;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>A message accepted at the gateway, waiting to be handed to its Session (with the header its ack echoes).</summary>
internal readonly record struct PendingSend(PacketHeader Header, bool Group, SendMessage Message);

/// <summary>
/// One connection's messages on their way to the Sessions: handed over one at a time in the order the client sent them,
/// each after the previous one was committed, while the connection goes on reading. A slow commit therefore never
/// stalls the socket (nor the rate-limit clock, which counts messages as they are read).
/// </summary>
internal sealed class MessagePipeline
{
    private readonly Channel<PendingSend> queue;
    private readonly Func<PendingSend, Task> send;

    public MessagePipeline(int capacity, Func<PendingSend, Task> send)
    {
        queue = Channel.CreateBounded<PendingSend>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        this.send = send;
        Completion = RunAsync();
    }

    /// <summary>Completes when the pipeline was closed and everything in it was handed over.</summary>
    public Task Completion { get; }

    /// <summary>Queues a message; false when the queue is full (the client sends faster than its messages commit).</summary>
    public bool TryEnqueue(in PendingSend message) => queue.Writer.TryWrite(message);

    /// <summary>No more messages (the connection closed); those queued are still handed over.</summary>
    public void Complete() => queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var message))
            {
                await send(message);
            }
        }
    }
}
