using System.Buffers;

namespace TeamTalk.Orleans.UnitTests.Framing;

/// <summary>A linked segment of a <see cref="ReadOnlySequence{T}"/>, as a pipe would hand out.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    public BufferSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    public BufferSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new BufferSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
        Next = next;
        return next;
    }
}

/// <summary>Builds sequences over one backing array cut into segments, so slices can be traced back to the array.</summary>
internal static class Segments
{
    /// <summary>A sequence over <paramref name="data"/> split before each of the (ascending) <paramref name="splits"/> offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] splits) => SplitPrefix(data, data.Length, splits);

    /// <summary>As <see cref="Split(byte[], int[])"/>, over the first <paramref name="length"/> bytes only.</summary>
    public static ReadOnlySequence<byte> SplitPrefix(byte[] data, int length, params int[] splits)
    {
        var bounds = new List<int> { 0 };
        foreach (var split in splits)
        {
            if (split > bounds[^1] && split < length)
            {
                bounds.Add(split);
            }
        }

        bounds.Add(length);
        var first = new BufferSegment(data.AsMemory(bounds[0], bounds[1] - bounds[0]));
        var last = first;
        for (var i = 1; i < bounds.Count - 1; i++)
        {
            last = last.Append(data.AsMemory(bounds[i], bounds[i + 1] - bounds[i]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte.</summary>
    public static ReadOnlySequence<byte> Bytewise(byte[] data) => Split(data, [.. Enumerable.Range(1, Math.Max(0, data.Length - 1))]);
}
