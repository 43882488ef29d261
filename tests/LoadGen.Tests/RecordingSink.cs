using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Tests;

/// <summary>An <see cref="IFrameSink"/> that keeps a copy of every frame and the close reason.</summary>
internal sealed class RecordingSink : IFrameSink
{
    private readonly Lock gate = new();
    private readonly List<(PacketHeader Header, byte[] Body)> frames = [];

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
        }
    }

    public void OnClosed(LeanConnection connection, string reason) => Closed.TrySetResult(reason);
}
