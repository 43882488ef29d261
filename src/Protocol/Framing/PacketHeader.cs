using System.Buffers.Binary;

namespace TeamTalk.Orleans.Protocol.Framing;

/// <summary>
/// The 16-byte big-endian header that precedes every TeamTalk PDU (behaviour.md 1.1).
/// <see cref="Length"/> counts the header itself.
/// </summary>
public readonly record struct PacketHeader(
    uint Length,
    ushort Version,
    ushort Flag,
    ushort ServiceId,
    ushort CommandId,
    ushort SeqNum,
    ushort Reserved)
{
    /// <summary>Size of the header on the wire.</summary>
    public const int Size = 16;

    /// <summary>The version the original server writes in PDUs it builds.</summary>
    public const ushort ServerVersion = 1;

    /// <summary>The (service id, command id) pair this header carries.</summary>
    public CommandKey Command => new(ServiceId, CommandId);

    /// <summary>Body length: <see cref="Length"/> minus the header.</summary>
    public int BodyLength => checked((int)Length - Size);

    /// <summary>Reads a header from exactly <see cref="Size"/> bytes.</summary>
    public static PacketHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32BigEndian(source),
        BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[6..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[8..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[10..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[12..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[14..]));

    /// <summary>Writes this header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], Flag);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], ServiceId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], CommandId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], SeqNum);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], Reserved);
    }

    /// <summary>A header as the server writes it: version 1, flag and reserved 0.</summary>
    public static PacketHeader ForServer(ushort serviceId, ushort commandId, ushort seqNum, int bodyLength) =>
        new(checked((uint)(bodyLength + Size)), ServerVersion, 0, serviceId, commandId, seqNum, 0);
}
