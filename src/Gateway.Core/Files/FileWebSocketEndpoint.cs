using TeamTalk.Orleans.Gateway.WebSockets;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>
/// <c>/ws/file</c> on the gateway's HTTP port: the file-transfer protocol (behaviour.md 5) for pages, which cannot open
/// the raw TCP file port. Admitted by the same checks as <c>/ws</c> (port, upgrade, origin:
/// <see cref="WebSocketEndpoint.AcceptAsync"/>), then one <see cref="FileConnection"/> runs over the socket exactly as over
/// TCP: the same login check against the task (the user must be the task's receiver to download), chunking, limits,
/// sweeper (login deadline, idle timeout) and registry. One TeamTalk frame per binary message (<see cref="WebSocketTransport"/>).
/// Bad input closes the socket after what is queued (a refused login's reply goes out first) with 1008 and the reason.
/// </summary>
internal sealed class FileWebSocketEndpoint(WebSocketEndpoint sockets, FileServices services)
{
    public const string Path = "/ws/file";

    public async Task HandleAsync(HttpContext context)
    {
        await using var transport = await sockets.AcceptAsync(context);
        if (transport is null)
        {
            return;
        }

        var connection = new FileConnection(transport, services) { Rejecting = transport.ClosingForPolicy };
        await transport.RunAsync(connection.RunAsync, connection.Reject);
    }
}
