using Microsoft.AspNetCore.Connections;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>Kestrel handler of a file-transfer TCP connection: its <see cref="FileConnection"/> runs it to its end.</summary>
internal sealed class FileConnectionHandler(FileServices services) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext context) => new FileConnection(context, services).RunAsync();
}
