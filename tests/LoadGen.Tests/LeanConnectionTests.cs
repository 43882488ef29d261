using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Tests;

/// <summary>The load generator's connection reads frames with the shared <see cref="FrameReader"/>.</summary>
public sealed class LeanConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Frames_split_across_reads_and_larger_than_the_buffer_reach_the_sink_whole_and_in_order()
    {
        var bodies = new[] { Body(0, 0), Body(5_000, 1), Body(40, 2), Body(70_000, 3) };
        var wire = bodies.SelectMany((b, i) => Frame(0x0A, (ushort)(i + 1), b)).ToArray();
        await using var pair = await LoopbackPair.OpenAsync();
        var sink = new RecordingSink();
        pair.Connection.Start(sink);

        // Ragged pieces: a header cut in two, a body cut in many, several frames in one read.
        foreach (var size in new[] { 7, 13, 3_000, 2_500, 9_000, int.MaxValue })
        {
            var n = Math.Min(size, wire.Length - pair.Written);
            await pair.WriteAsync(wire.AsMemory(pair.Written, n));
            await Task.Delay(15);
        }

        await sink.WaitForFramesAsync(bodies.Length).WaitAsync(Timeout);
        var frames = sink.Frames;
        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal((ushort)(i + 1), frames[i].Header.SeqNum);
            Assert.Equal(0x0A, frames[i].Header.CommandId);
            Assert.Equal(bodies[i], frames[i].Body);
        }

        Assert.False(sink.Closed.Task.IsCompleted);
    }

    [Theory]
    [InlineData(8u)]
    [InlineData(16u * 1024 * 1024 + 1)]
    public async Task A_frame_length_outside_the_header_and_the_cap_ends_the_connection(uint length)
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var sink = new RecordingSink();
        pair.Connection.Start(sink);
        var bad = new byte[PacketHeader.Size];
        new PacketHeader(length, 1, 0, 1, 2, 3, 0).Write(bad);
        await pair.WriteAsync(Frame(0x0A, 1, [1, 2, 3]).Concat(bad).ToArray());

        var reason = await sink.Closed.Task.WaitAsync(Timeout);
        Assert.Equal($"bad frame length {length}", reason);
        Assert.Single(sink.Frames);
        Assert.True(pair.Connection.IsClosed);
    }

    private static byte[] Body(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed))];

    private static byte[] Frame(ushort command, ushort seq, byte[] body)
    {
        var frame = new byte[PacketHeader.Size + body.Length];
        PacketHeader.ForServer(1, command, seq, body.Length).Write(frame);
        body.CopyTo(frame, PacketHeader.Size);
        return frame;
    }
}
