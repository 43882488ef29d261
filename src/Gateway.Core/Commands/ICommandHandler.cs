using System.Buffers;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// Serves one TeamTalk command. Implementations must be done with <c>body</c> before their first await: it is a
/// slice of the connection's receive buffer, valid only until the handler yields.
/// </summary>
internal interface ICommandHandler
{
    /// <summary>The command served.</summary>
    CommandKey Command { get; }

    /// <summary>True for the two commands served before login (heartbeat and login).</summary>
    bool AllowedBeforeLogin { get; }

    ValueTask HandleAsync(IClientConnection connection, PacketHeader header, ReadOnlySequence<byte> body);
}
