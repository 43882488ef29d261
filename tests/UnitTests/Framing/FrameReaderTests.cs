using System.Buffers;
using System.Runtime.InteropServices;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.UnitTests.Framing;

public sealed class FrameReaderTests
{
    private const int Max = 1024;

    // Three frames of different shapes: a short body with server-like header values, an empty heartbeat with
    // Android-like version/reserved, and a longer body whose header fields all have the high bit set.
    private static readonly PacketHeader[] Headers =
    [
        new(16 + 5, 1, 0, 0x0001, 0x0103, 1, 0),
        new(16 + 0, 6, 0, 0x0007, 0x0701, 0xFFFF, 0x0030),
        new(16 + 23, 0x8234, 0xABCD, 0x8003, 0x8301, 0x8001, 0xFFFF),
    ];

    private static readonly byte[][] Bodies =
    [
        [0x0A, 0x03, (byte)'a', (byte)'b', (byte)'c'],
        [],
        [.. Enumerable.Range(0, 23).Select(i => (byte)(0xF0 ^ (i * 37)))],
    ];

    private static readonly byte[] Data = BuildStream();

    // Offset of each frame's body in Data.
    private static readonly int[] BodyOffsets = [16, 16 + 5 + 16, 16 + 5 + 16 + 0 + 16];

    private static byte[] BuildStream()
    {
        var output = new List<byte>();
        for (var i = 0; i < Headers.Length; i++)
        {
            output.AddRange(Encode(Headers[i]));
            output.AddRange(Bodies[i]);
        }

        return [.. output];
    }

    private static byte[] Encode(PacketHeader header)
    {
        var bytes = new byte[PacketHeader.Size];
        header.Write(bytes);
        return bytes;
    }

    private static byte[] HeaderOnly(uint length) => Encode(new PacketHeader(length, 1, 0, 1, 0x0103, 7, 0));

    /// <summary>Reads every frame off <paramref name="sequence"/> and checks it against the three expected frames.</summary>
    private static void AssertThreeFrames(ReadOnlySequence<byte> sequence, string scenario)
    {
        var buffer = sequence;
        for (var i = 0; i < Headers.Length; i++)
        {
            var status = FrameReader.TryRead(ref buffer, Max, out var header, out var body);
            Assert.True(status == FrameStatus.Frame, $"{scenario}: frame {i} gave {status}");
            Assert.True(Headers[i] == header, $"{scenario}: frame {i} header {header}");
            Assert.True(Bodies[i].AsSpan().SequenceEqual(body.ToArray()), $"{scenario}: frame {i} body differs");
            AssertSliceOfStream(body, BodyOffsets[i], scenario);
        }

        Assert.True(buffer.IsEmpty, $"{scenario}: {buffer.Length} bytes left");
        Assert.Equal(FrameStatus.Incomplete, FrameReader.TryRead(ref buffer, Max, out _, out _));
    }

    /// <summary>The body must be a view of the input array (no copy), starting at the body's offset.</summary>
    private static void AssertSliceOfStream(ReadOnlySequence<byte> body, int expectedOffset, string scenario)
    {
        if (body.IsEmpty)
        {
            return;
        }

        Assert.True(MemoryMarshal.TryGetArray(body.First, out var segment), $"{scenario}: body not array-backed");
        Assert.True(ReferenceEquals(Data, segment.Array), $"{scenario}: body was copied");
        Assert.True(expectedOffset == segment.Offset, $"{scenario}: body starts at {segment.Offset}, expected {expectedOffset}");
    }

    [Fact]
    public void Single_segment_stream_yields_the_three_frames_as_slices()
    {
        var sequence = new ReadOnlySequence<byte>(Data);
        Assert.True(sequence.IsSingleSegment);
        AssertThreeFrames(sequence, "single segment");
    }

    [Fact]
    public void Stream_split_at_every_single_point_yields_the_three_frames()
    {
        for (var split = 1; split < Data.Length; split++)
        {
            var sequence = Segments.Split(Data, split);
            Assert.False(sequence.IsSingleSegment);
            AssertThreeFrames(sequence, $"split at {split}");
        }
    }

    [Fact]
    public void Stream_split_at_every_pair_of_points_yields_the_three_frames()
    {
        var cases = 0;
        for (var a = 1; a < Data.Length; a++)
        {
            for (var b = a + 1; b < Data.Length; b++)
            {
                AssertThreeFrames(Segments.Split(Data, a, b), $"split at {a} and {b}");
                cases++;
            }
        }

        Assert.Equal((Data.Length - 1) * (Data.Length - 2) / 2, cases);
    }

    [Fact]
    public void Stream_with_one_segment_per_byte_yields_the_three_frames()
    {
        var sequence = Segments.Bytewise(Data);
        Assert.Equal(Data.Length, Enumerable.Count(EnumerateSegments(sequence)));
        AssertThreeFrames(sequence, "bytewise");
    }

    [Fact]
    public void Every_prefix_yields_the_complete_frames_then_Incomplete_without_consuming()
    {
        int[] frameEnds = [BodyOffsets[0] + Bodies[0].Length, BodyOffsets[1] + Bodies[1].Length, BodyOffsets[2] + Bodies[2].Length];
        for (var length = 0; length <= Data.Length; length++)
        {
            for (var split = 0; split < length; split += 7)
            {
                var buffer = Segments.SplitPrefix(Data, length, split);
                var complete = frameEnds.Count(end => end <= length);
                for (var i = 0; i < complete; i++)
                {
                    Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var header, out _));
                    Assert.Equal(Headers[i], header);
                }

                if (complete == Headers.Length)
                {
                    Assert.True(buffer.IsEmpty);
                    continue;
                }

                var before = buffer;
                var status = FrameReader.TryRead(ref buffer, Max, out _, out var body);
                Assert.True(status == FrameStatus.Incomplete, $"prefix {length}, split {split}: {status}");
                Assert.True(body.IsEmpty);
                Assert.Equal(before.Start, buffer.Start);
                Assert.Equal(before.End, buffer.End);
                Assert.Equal(length - (complete == 0 ? 0 : frameEnds[complete - 1]), buffer.Length);
            }
        }
    }

    [Fact]
    public void Header_split_3_plus_13_is_reassembled()
    {
        var sequence = Segments.Split(Data, 3);
        var buffer = sequence;
        Assert.Equal(3, sequence.First.Length);
        Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var header, out var body));
        Assert.Equal(Headers[0], header);
        Assert.Equal(Bodies[0], body.ToArray());

        // Header-only frame, header in two segments of 3 and 13 bytes, nothing after it.
        var alone = HeaderOnly(16);
        var split = Segments.Split(alone, 3);
        Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref split, Max, out header, out body));
        Assert.Equal(new PacketHeader(16, 1, 0, 1, 0x0103, 7, 0), header);
        Assert.True(body.IsEmpty);
        Assert.True(split.IsEmpty);
    }

    [Fact]
    public void Incomplete_body_leaves_the_buffer_untouched()
    {
        var data = new byte[16 + 10];
        new PacketHeader(26, 1, 0, 3, 0x0301, 9, 0).Write(data);
        foreach (var sequence in new[] { new ReadOnlySequence<byte>(data, 0, 25), Segments.SplitPrefix(data, 25, 5, 16, 20) })
        {
            var buffer = sequence;
            Assert.Equal(FrameStatus.Incomplete, FrameReader.TryRead(ref buffer, Max, out _, out var body));
            Assert.True(body.IsEmpty);
            Assert.Equal(sequence.Start, buffer.Start);
            Assert.Equal(sequence.End, buffer.End);
            Assert.Equal(25, buffer.Length);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    public void Header_shorter_than_16_is_TooShort_without_consuming(uint length)
    {
        foreach (var sequence in new[] { new ReadOnlySequence<byte>(HeaderOnly(length)), Segments.Split(HeaderOnly(length), 3) })
        {
            var buffer = sequence;
            Assert.Equal(FrameStatus.TooShort, FrameReader.TryRead(ref buffer, Max, out var header, out var body));
            Assert.Equal(length, header.Length);
            Assert.True(body.IsEmpty);
            Assert.Equal(sequence.Start, buffer.Start);
            Assert.Equal(16, buffer.Length);
        }
    }

    [Fact]
    public void Fewer_than_16_bytes_is_Incomplete_whatever_they_hold()
    {
        var data = HeaderOnly(0);
        var buffer = new ReadOnlySequence<byte>(data, 0, 15);
        Assert.Equal(FrameStatus.Incomplete, FrameReader.TryRead(ref buffer, Max, out _, out _));
        Assert.Equal(15, buffer.Length);
    }

    [Fact]
    public void Length_16_is_a_frame_with_an_empty_body()
    {
        var data = HeaderOnly(16).Concat(HeaderOnly(16)).ToArray();
        var buffer = new ReadOnlySequence<byte>(data);
        Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var header, out var body));
        Assert.Equal(16u, header.Length);
        Assert.Equal(0, header.BodyLength);
        Assert.True(body.IsEmpty);
        Assert.Equal(16, buffer.Length);
    }

    [Fact]
    public void Length_equal_to_the_maximum_is_a_frame()
    {
        var data = new byte[Max + 3];
        new PacketHeader(Max, 1, 0, 5, 0x0505, 2, 0).Write(data);
        for (var i = 16; i < data.Length; i++)
        {
            data[i] = (byte)i;
        }

        foreach (var sequence in new[] { new ReadOnlySequence<byte>(data), Segments.Split(data, 8, 100, 1000) })
        {
            var buffer = sequence;
            Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var header, out var body));
            Assert.Equal((uint)Max, header.Length);
            Assert.Equal(Max - 16, body.Length);
            Assert.Equal(data.AsSpan(16, Max - 16).ToArray(), body.ToArray());
            Assert.Equal(3, buffer.Length);
        }
    }

    [Theory]
    [InlineData(Max + 1u, Max)]
    [InlineData(0x8000_0000u, Max)]
    [InlineData(uint.MaxValue, Max)]
    [InlineData(0x8000_0000u, int.MaxValue)]
    [InlineData(uint.MaxValue, int.MaxValue)]
    public void Length_above_the_maximum_is_TooLong_as_soon_as_the_header_is_in(uint length, int max)
    {
        // Only the header has arrived: the reader must not wait for (or buffer) the announced body.
        foreach (var sequence in new[] { new ReadOnlySequence<byte>(HeaderOnly(length)), Segments.Split(HeaderOnly(length), 3) })
        {
            var buffer = sequence;
            Assert.Equal(FrameStatus.TooLong, FrameReader.TryRead(ref buffer, max, out var header, out var body));
            Assert.Equal(length, header.Length);
            Assert.True(body.IsEmpty);
            Assert.Equal(sequence.Start, buffer.Start);
            Assert.Equal(16, buffer.Length);
        }
    }

    [Fact]
    public void Header_fields_are_read_big_endian()
    {
        byte[] data = [0x00, 0x00, 0x00, 0x10, 0x00, 0x06, 0x12, 0x34, 0x00, 0x07, 0x07, 0x01, 0xAB, 0xCD, 0x00, 0x30];
        var buffer = new ReadOnlySequence<byte>(data);
        Assert.Equal(FrameStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var header, out _));
        Assert.Equal(new PacketHeader(16, 6, 0x1234, 7, 0x0701, 0xABCD, 0x0030), header);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> EnumerateSegments(ReadOnlySequence<byte> sequence)
    {
        foreach (var memory in sequence)
        {
            yield return memory;
        }
    }
}
