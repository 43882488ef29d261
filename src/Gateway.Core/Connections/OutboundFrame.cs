using System.IO.Pipelines;
using Google.Protobuf;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// One frame waiting in a connection's outbound queue: a message to encode, or (for echoes) a header and body to
/// write back as they came.
/// </summary>
internal readonly struct OutboundFrame
{
    private OutboundFrame(CommandKey command, ushort seq, IMessage? body, PacketHeader rawHeader, byte[]? rawBody)
    {
        Command = command;
        Seq = seq;
        Body = body;
        RawHeader = rawHeader;
        RawBody = rawBody;
    }

    public CommandKey Command { get; }

    public ushort Seq { get; }

    public IMessage? Body { get; }

    public PacketHeader RawHeader { get; }

    public byte[]? RawBody { get; }

    /// <summary>A message to encode with a server header (version 1, flag and reserved 0).</summary>
    public static OutboundFrame Message(CommandKey command, ushort seq, IMessage body) => new(command, seq, body, default, null);

    /// <summary>A frame echoed byte for byte (header and body as received).</summary>
    public static OutboundFrame Echo(in PacketHeader header, byte[] body) =>
        new(header.Command, header.SeqNum, null, header, body);

    /// <summary>
    /// Writes the frame (not flushed). False, and nothing written, for a message lacking a required field: such a
    /// message is never sent.
    /// </summary>
    public bool TryWriteTo(PipeWriter output)
    {
        if (Body is null)
        {
            FrameWriter.WriteRaw(output, RawHeader, RawBody ?? []);
            return true;
        }

        if (!RequiredFields.IsComplete(Body))
        {
            return false;
        }

        FrameWriter.Write(output, Command.ServiceId, Command.CommandId, Seq, Body);
        return true;
    }
}
