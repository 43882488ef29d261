using System.Buffers;
using System.Globalization;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// <c>CID_OTHER_HEARTBEAT</c>: the PDU is sent back verbatim (same header, same seq, same body). <c>IMHeartBeat</c> has
/// no fields and clients send it empty; a body longer than <see cref="MaxBodyBytes"/> is not a heartbeat but a way to
/// make the gateway queue copies of large bodies for a client that does not read them: the connection is closed.
/// </summary>
internal sealed class HeartbeatHandler(ConnectionLog log) : ICommandHandler
{
    /// <summary>The longest heartbeat body echoed (unknown fields a client might add; clients send none).</summary>
    public const int MaxBodyBytes = 64;

    public CommandKey Command => CommandKeys.Heartbeat;

    public bool AllowedBeforeLogin => true;

    public ValueTask HandleAsync(IClientConnection connection, PacketHeader header, ReadOnlySequence<byte> body)
    {
        if (TryEcho(header, body, out var echo, out var refusal))
        {
            connection.TrySend(echo);
        }
        else
        {
            log.Closing(connection, refusal, RejectMetric.Malformed);
            connection.CloseAfterFlush();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The echo of a heartbeat (client and file connections alike), or why there is none: a body over
    /// <see cref="MaxBodyBytes"/>, for which the caller closes the connection.
    /// </summary>
    public static bool TryEcho(PacketHeader header, ReadOnlySequence<byte> body, out OutboundFrame echo, out string refusal)
    {
        if (body.Length > MaxBodyBytes)
        {
            echo = default;
            refusal = string.Create(CultureInfo.InvariantCulture, $"heartbeat with a body of {body.Length} bytes (at most {MaxBodyBytes})");
            return false;
        }

        echo = OutboundFrame.Echo(header, body.IsEmpty ? [] : body.ToArray());
        refusal = string.Empty;
        return true;
    }
}
