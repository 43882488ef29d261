using Google.Protobuf;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Client;

/// <summary>A frame received by <see cref="TeamTalkClient"/>: its header and a copy of its body.</summary>
public sealed record ReceivedFrame(PacketHeader Header, byte[] Body)
{
    public CommandKey Command => Header.Command;

    /// <summary>Parses the body as <typeparamref name="T"/>.</summary>
    public T Parse<T>()
        where T : IMessage<T>, new() => new MessageParser<T>(() => new T()).ParseFrom(Body);
}
