using System.Buffers;
using Google.Protobuf;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>Frames a test client sends.</summary>
internal static class TestFrames
{
    /// <summary>A request as a handler receives it: its header and its body.</summary>
    public static (PacketHeader Header, ReadOnlySequence<byte> Body) Request(ushort service, ushort command, ushort seq, IMessage body)
    {
        var bytes = body.ToByteArray();
        return (new PacketHeader((uint)(PacketHeader.Size + bytes.Length), 1, 0, service, command, seq, 0), new ReadOnlySequence<byte>(bytes));
    }

    /// <summary>A heartbeat (header only) as the client writes it.</summary>
    public static byte[] Heartbeat(ushort seq)
    {
        var bytes = new byte[PacketHeader.Size];
        new PacketHeader(PacketHeader.Size, 1, 0, 7, 0x0701, seq, 0).Write(bytes);
        return bytes;
    }
}
