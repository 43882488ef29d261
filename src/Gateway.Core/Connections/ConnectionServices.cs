using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Commands;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>What every client connection of this gateway shares: one instance, handed to each <see cref="ClientConnection"/>.</summary>
internal sealed class ConnectionServices(
    ConnectionRegistry registry,
    CommandDispatcher dispatcher,
    IDisconnectNotifier notifier,
    ConnectionLog log,
    TimeProvider time,
    IOptions<GatewayOptions> options)
{
    public ConnectionRegistry Registry => registry;

    public CommandDispatcher Dispatcher => dispatcher;

    public IDisconnectNotifier Notifier => notifier;

    public ConnectionLog Log => log;

    public TimeProvider Time => time;

    public GatewayOptions Settings { get; } = options.Value;
}
