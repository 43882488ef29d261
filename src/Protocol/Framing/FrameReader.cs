using System.Buffers;

namespace TeamTalk.Orleans.Protocol.Framing;

/// <summary>Outcome of one attempt to cut a frame off the front of a buffer.</summary>
public enum FrameStatus
{
    /// <summary>A whole frame was read; the buffer was advanced past it.</summary>
    Frame,

    /// <summary>Not enough bytes yet; the buffer is unchanged.</summary>
    Incomplete,

    /// <summary>The header's length is below 16: the stream cannot be framed any further.</summary>
    TooShort,

    /// <summary>The header's length is above the configured maximum.</summary>
    TooLong,
}

/// <summary>
/// Cuts TeamTalk frames (16-byte big-endian header + body) off a possibly multi-segment buffer
/// without copying the body: the frame's body is a slice of the input.
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Reads one frame from the front of <paramref name="buffer"/>. On <see cref="FrameStatus.Frame"/> the buffer
    /// is advanced past the frame and <paramref name="body"/> is a slice of the original sequence; otherwise the
    /// buffer is left unchanged. <paramref name="header"/> is valid for every status but <see cref="FrameStatus.Incomplete"/>.
    /// </summary>
    public static FrameStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxPacketBytes, out PacketHeader header, out ReadOnlySequence<byte> body)
    {
        body = default;
        header = default;
        if (buffer.Length < PacketHeader.Size)
        {
            return FrameStatus.Incomplete;
        }

        Span<byte> scratch = stackalloc byte[PacketHeader.Size];
        var first = buffer.FirstSpan;
        header = first.Length >= PacketHeader.Size
            ? PacketHeader.Read(first)
            : ReadSplitHeader(buffer, scratch);

        if (header.Length < PacketHeader.Size)
        {
            return FrameStatus.TooShort;
        }

        if (header.Length > (uint)maxPacketBytes)
        {
            return FrameStatus.TooLong;
        }

        if (buffer.Length < header.Length)
        {
            return FrameStatus.Incomplete;
        }

        body = buffer.Slice(PacketHeader.Size, header.Length - PacketHeader.Size);
        buffer = buffer.Slice(header.Length);
        return FrameStatus.Frame;
    }

    private static PacketHeader ReadSplitHeader(in ReadOnlySequence<byte> buffer, Span<byte> scratch)
    {
        buffer.Slice(0, PacketHeader.Size).CopyTo(scratch);
        return PacketHeader.Read(scratch);
    }
}
