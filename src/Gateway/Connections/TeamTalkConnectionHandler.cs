using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Kestrel handler of a TeamTalk client TCP connection: cuts frames off the receive pipe without copying and handles
/// them one at a time, in order (a frame that arrives during a login waits for it). A length below 16 or above
/// <see cref="GatewayOptions.MaxPacketBytes"/> closes the connection. On close, the user grain is told.
/// </summary>
internal sealed class TeamTalkConnectionHandler(
    ConnectionRegistry registry,
    CommandDispatcher dispatcher,
    IGrainFactory grains,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options,
    ConnectionLog log) : ConnectionHandler
{
    private const int DisconnectAttempts = 3;
    private readonly GatewayOptions settings = options.Value;

    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var connection = new ClientConnection(registry.NextId(), context, settings.OutboundQueueCapacity, log.Logger);
        registry.Add(connection);
        var writer = connection.RunWriterAsync();
        try
        {
            await ReadAsync(connection, context);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException)
        {
            // The peer went away or the connection was aborted on purpose: nothing to report.
        }
        catch (Exception ex)
        {
            log.Failed(ex, connection.Id);
            connection.Abort("unexpected failure");
        }
        finally
        {
            connection.CloseAfterFlush();
            await writer;
            await ForgetAsync(connection);
        }
    }

    private async Task ReadAsync(ClientConnection connection, ConnectionContext context)
    {
        var input = context.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync();
            if (result.IsCanceled)
            {
                return;
            }

            var buffer = result.Buffer;
            var stop = false;
            try
            {
                connection.Touch();
                while (!stop)
                {
                    var status = FrameReader.TryRead(ref buffer, settings.MaxPacketBytes, out var header, out var body);
                    if (status == FrameStatus.Incomplete)
                    {
                        break;
                    }

                    if (status != FrameStatus.Frame)
                    {
                        log.Closing(connection, status == FrameStatus.TooShort
                            ? $"frame length {header.Length} is below the 16-byte header"
                            : $"frame length {header.Length} exceeds the {settings.MaxPacketBytes}-byte limit");
                        return;
                    }

                    // The body is a slice of the pipe's buffer: handlers are done with it before they first yield.
                    await dispatcher.DispatchAsync(connection, header, body);
                    stop = connection.State == ConnectionState.Closing;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (stop || result.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task ForgetAsync(ClientConnection connection)
    {
        registry.Remove(connection);
        if (connection.UserId == 0)
        {
            return;
        }

        // The user grain must learn of the close (presence, offline notices): a failed call is retried a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetUserGrain(connection.UserId).DisconnectAsync(new ConnectionRef(gateway.Id, connection.Id));
                return;
            }
            catch (Exception ex) when (attempt < DisconnectAttempts)
            {
                log.DisconnectNotifyFailed(ex, connection.Id, connection.UserId);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
            catch (Exception ex)
            {
                log.DisconnectNotifyFailed(ex, connection.Id, connection.UserId);
                return;
            }
        }
    }
}
