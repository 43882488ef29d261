using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>
/// What test connections share, as a gateway's connections do: one registry, a clock that moves only when told to, a
/// notifier that records instead of calling the cluster, and a dispatcher serving heartbeats (or the handlers given).
/// </summary>
internal sealed class TestGateway
{
    public TestGateway(GatewayOptions? options = null, IEnumerable<ICommandHandler>? handlers = null)
    {
        Settings = options ?? new GatewayOptions { OutboundQueueCapacity = 16 };
        Services = new ConnectionServices(
            Registry,
            new CommandDispatcher(handlers ?? [new HeartbeatHandler(Log)], Log),
            Notifier,
            Log,
            Time,
            Options.Create(Settings));
    }

    public GatewayOptions Settings { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ConnectionRegistry Registry { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public ConnectionLog Log { get; } = new(NullLogger<ConnectionLog>.Instance);

    public ConnectionServices Services { get; }

    public TestConnection Connect() => new(this);
}
