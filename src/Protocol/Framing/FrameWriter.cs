using System.Buffers;
using Google.Protobuf;

namespace TeamTalk.Orleans.Protocol.Framing;

/// <summary>Writes TeamTalk frames straight into an <see cref="IBufferWriter{T}"/> (no intermediate arrays).</summary>
public static class FrameWriter
{
    /// <summary>
    /// Writes header + <paramref name="body"/>. The caller must have checked <see cref="RequiredFields.IsComplete"/>:
    /// proto2 required fields are always on the wire.
    /// </summary>
    public static int Write(IBufferWriter<byte> output, ushort serviceId, ushort commandId, ushort seqNum, IMessage body)
    {
        var bodyLength = body.CalculateSize();
        var total = PacketHeader.Size + bodyLength;
        var span = output.GetSpan(total);
        PacketHeader.ForServer(serviceId, commandId, seqNum, bodyLength).Write(span);
        body.WriteTo(span.Slice(PacketHeader.Size, bodyLength));
        output.Advance(total);
        return total;
    }

    /// <summary>Writes a frame whose header and body are already encoded (e.g. a heartbeat echo).</summary>
    public static int WriteRaw(IBufferWriter<byte> output, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        var total = PacketHeader.Size + body.Length;
        var span = output.GetSpan(total);
        (header with { Length = (uint)total }).Write(span);
        body.CopyTo(span[PacketHeader.Size..]);
        output.Advance(total);
        return total;
    }
}
