using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Hosting;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.UnitTests.Gateway;

namespace TeamTalk.Orleans.UnitTests.Telemetry;

/// <summary>The gateway's activity per command (source TeamTalk.Gateway), when something listens.</summary>
public sealed class CommandTracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;

    public CommandTracingTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TeamTalkTelemetry.GatewaySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task Each_command_is_one_activity_named_after_its_handler_and_the_read_loop_keeps_none()
    {
        var log = new ConnectionLog(NullLogger<ConnectionLog>.Instance);
        var dispatcher = new CommandDispatcher([new HeartbeatHandler(log)], log);
        var test = new TestConnection().LoggedIn(7, DeviceType.Windows);
        Activity.Current = null;

        await dispatcher.DispatchAsync(test.Connection, new PacketHeader(16, 6, 0, 7, 0x0701, 1, 0), default);
        Assert.Null(Activity.Current);
        await dispatcher.DispatchAsync(test.Connection, new PacketHeader(16, 6, 0, 7, 0x0701, 2, 0), default);

        var mine = stopped.Where(a => Equals(a.GetTagItem("teamtalk.connection_id"), test.Connection.Id)).ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, a =>
        {
            Assert.Equal("Heartbeat", a.DisplayName);
            Assert.Equal(ActivityKind.Server, a.Kind);
            Assert.Null(a.Parent);
            Assert.Equal(7u, a.GetTagItem("teamtalk.user_id"));
        });
        Assert.NotEqual(mine[0].TraceId, mine[1].TraceId);
    }
}
