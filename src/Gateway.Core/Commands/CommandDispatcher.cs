using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// Finds the handler of a frame by its command and applies the authentication gate: before login only heartbeat and
/// login are served, anything else closes the connection; unknown commands after login are logged and ignored.
/// Like the original, the header's service id is not checked on input (command ids are unique across services).
/// When traces are collected, each handled command is an activity named after its handler (<see cref="GatewayTracing"/>).
/// </summary>
internal sealed class CommandDispatcher
{
    private readonly FrozenDictionary<ushort, ICommandHandler> handlers;
    private readonly FrozenDictionary<ushort, string> names;
    private readonly ConnectionLog log;

    public CommandDispatcher(IEnumerable<ICommandHandler> handlers, ConnectionLog log)
    {
        this.handlers = handlers.ToFrozenDictionary(h => h.Command.CommandId);
        names = this.handlers.ToFrozenDictionary(h => h.Key, h => h.Value.GetType().Name.Replace("Handler", string.Empty, StringComparison.Ordinal));
        this.log = log;
    }

    private ValueTask HandleAsync(ICommandHandler handler, IClientConnection connection, PacketHeader header, ReadOnlySequence<byte> body)
    {
        if (!GatewayTracing.Source.HasListeners())
        {
            return handler.HandleAsync(connection, header, body);
        }

        var previous = Activity.Current;
        var activity = GatewayTracing.Source.StartActivity(names[header.CommandId], ActivityKind.Server);
        if (activity is null)
        {
            return handler.HandleAsync(connection, header, body);
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("teamtalk.command_id", header.CommandId);
            activity.SetTag("teamtalk.connection_id", connection.Id);
            activity.SetTag("teamtalk.user_id", connection.UserId);
        }

        var handling = Traced(activity, handler.HandleAsync(connection, header, body));
        // The handler's continuations keep the activity; the connection's read loop must not (the next command would be its child).
        Activity.Current = previous;
        return handling;
    }

    private static async ValueTask Traced(Activity activity, ValueTask handling)
    {
        try
        {
            await handling;
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            activity.Dispose();
        }
    }

    public ValueTask DispatchAsync(IClientConnection connection, PacketHeader header, ReadOnlySequence<byte> body)
    {
        handlers.TryGetValue(header.CommandId, out var handler);
        switch (connection.State)
        {
            case ConnectionState.LoggedIn:
                if (handler is null)
                {
                    log.Rejected(connection, header, "unknown command", RejectMetric.UnknownCommand);
                    return ValueTask.CompletedTask;
                }

                return HandleAsync(handler, connection, header, body);

            case ConnectionState.Accepted:
                if (handler is null || !handler.AllowedBeforeLogin)
                {
                    log.Closing(connection, $"command 0x{header.CommandId:x4} before login", RejectMetric.BeforeLogin);
                    connection.Abort("command before login");
                    return ValueTask.CompletedTask;
                }

                return HandleAsync(handler, connection, header, body);

            case ConnectionState.Kicked:
                log.Rejected(connection, header, "connection was kicked");
                return ValueTask.CompletedTask;

            default:
                // LoggingIn cannot be seen here (frames are handled one at a time); Closing: nothing more is served.
                return ValueTask.CompletedTask;
        }
    }
}
