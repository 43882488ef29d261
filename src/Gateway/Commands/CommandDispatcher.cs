using System.Buffers;
using System.Collections.Frozen;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// Finds the handler of a frame by its command and applies the authentication gate: before login only heartbeat and
/// login are served, anything else closes the connection; unknown commands after login are logged and ignored.
/// Like the original, the header's service id is not checked on input (command ids are unique across services).
/// </summary>
internal sealed class CommandDispatcher
{
    private readonly FrozenDictionary<ushort, ICommandHandler> handlers;
    private readonly ConnectionLog log;

    public CommandDispatcher(IEnumerable<ICommandHandler> handlers, ConnectionLog log)
    {
        this.handlers = handlers.ToFrozenDictionary(h => h.Command.CommandId);
        this.log = log;
    }

    public ValueTask DispatchAsync(IClientConnection connection, PacketHeader header, ReadOnlySequence<byte> body)
    {
        handlers.TryGetValue(header.CommandId, out var handler);
        switch (connection.State)
        {
            case ConnectionState.LoggedIn:
                if (handler is null)
                {
                    log.Rejected(connection, header, "unknown command");
                    return ValueTask.CompletedTask;
                }

                return handler.HandleAsync(connection, header, body);

            case ConnectionState.Accepted:
                if (handler is null || !handler.AllowedBeforeLogin)
                {
                    log.Closing(connection, $"command 0x{header.CommandId:x4} before login");
                    connection.Abort("command before login");
                    return ValueTask.CompletedTask;
                }

                return handler.HandleAsync(connection, header, body);

            case ConnectionState.Kicked:
                log.Rejected(connection, header, "connection was kicked");
                return ValueTask.CompletedTask;

            default:
                // LoggingIn cannot be seen here (frames are handled one at a time); Closing: nothing more is served.
                return ValueTask.CompletedTask;
        }
    }
}
