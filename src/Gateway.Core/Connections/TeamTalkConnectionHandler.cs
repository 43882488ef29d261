using Microsoft.AspNetCore.Connections;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>Kestrel handler of a TeamTalk client TCP connection: the connection's <see cref="ClientConnection"/> runs it to its end.</summary>
internal sealed class TeamTalkConnectionHandler(ConnectionServices services) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext context) => new ClientConnection(context, services).RunAsync();
}
