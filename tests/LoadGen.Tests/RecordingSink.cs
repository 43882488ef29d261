using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Tests;

/// <summary>An <see cref="IFrameSink"/> that keeps a copy of every frame and the close reason.</summary>
internal sealed class RecordingSink : IFrameSink
{
    private readonly Lock gate = new();
    private readonly List<(PacketHeader Header, byte[] Body)> frames = [];
    private (int Count, TaskCompletionSource Reached)? waiting;

    /// <summary>Completes with the reason when the connection ends.</summary>
    public TaskCompletionSource<string> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(PacketHeader Header, byte[] Body)> Frames
    {
        get
        {
            lock (gate)
            {
                return [.. frames];
            }
        }
    }

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        lock (gate)
        {
            frames.Add((header, body.ToArray()));
            if (waiting is { } w && frames.Count >= w.Count)
            {
                w.Reached.TrySetResult();
            }
        }
    }

    public void OnClosed(LeanConnection connection, string reason) => Closed.TrySetResult(reason);

    /// <summary>Completes once <paramref name="count"/> frames have arrived (one waiter at a time).</summary>
    public Task WaitForFramesAsync(int count)
    {
        lock (gate)
        {
            if (frames.Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = (count, reached);
            return reached.Task;
        }
    }
}
