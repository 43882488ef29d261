using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Cluster;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.UnitTests.Gateway;

namespace TeamTalk.Orleans.UnitTests.Telemetry;

/// <summary>The gateway's instruments (meters TeamTalk.Gateway and TeamTalk.Messages) and its readiness check.</summary>
public sealed class GatewayMetricsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider time = new();
    private readonly MetricRecorder recorder;
    private readonly GatewayMetrics metrics;
    private readonly ConnectionLog log;

    public GatewayMetricsTests()
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        recorder = new MetricRecorder(factory);
        metrics = new GatewayMetrics(factory, new ConnectionRegistry(), time);
        log = new ConnectionLog(NullLogger<ConnectionLog>.Instance, metrics);
    }

    public void Dispose()
    {
        recorder.Dispose();
        metrics.Dispose();
        services.Dispose();
    }

    [Fact]
    public void An_acknowledged_message_is_counted_by_type_with_its_latency()
    {
        var read = metrics.Timestamp();
        time.Advance(TimeSpan.FromMilliseconds(250));
        metrics.Received(MessageType.GroupText);
        metrics.Acked(MessageType.GroupText, read);
        metrics.Failed(MessageType.SingleAudio);

        Assert.Equal(1, recorder.Sum("teamtalk.messages.received", "type", "group_text"));
        Assert.Equal(1, recorder.Sum("teamtalk.messages.acked", "type", "group_text"));
        Assert.Equal(0.25, Assert.Single(recorder.Values("teamtalk.messages.ack_latency", "type", "group_text")));
        Assert.Equal(1, recorder.Sum("teamtalk.messages.failed", "type", "single_audio"));
        Assert.Equal(0, recorder.Sum("teamtalk.messages.acked", "type", "single_text"));
    }

    [Fact]
    public void Login_results_and_rejection_reasons_are_snake_case_tags()
    {
        metrics.Login(LoginMetric.Success);
        metrics.Login(LoginMetric.WrongCredentials);
        metrics.Login(LoginMetric.WrongCredentials);
        metrics.Rejected(RejectMetric.RateLimited, 3);

        Assert.Equal(1, recorder.Sum("teamtalk.gateway.logins", "result", "success"));
        Assert.Equal(2, recorder.Sum("teamtalk.gateway.logins", "result", "wrong_credentials"));
        Assert.Equal(3, recorder.Sum("teamtalk.gateway.rejected", "reason", "rate_limited"));
    }

    [Fact]
    public async Task Rejected_packets_are_counted_by_reason_even_when_the_warning_is_rate_limited()
    {
        var dispatcher = new CommandDispatcher([new HeartbeatHandler(log), new LoginHandler(null!, new GatewayIdentity(new GatewayOptions()), time, log)], log);
        var test = new TestConnection().LoggedIn(1, DeviceType.Windows);
        for (var i = 0; i < 3; i++)
        {
            await dispatcher.DispatchAsync(test.Connection, new PacketHeader(16, 1, 0, 9, 0x0999, 1, 0), default);
        }

        // A login body that is no protobuf (before login): malformed.
        var fresh = new TestConnection();
        await dispatcher.DispatchAsync(fresh.Connection, new PacketHeader(19, 1, 0, 1, 0x0103, 1, 0), new([0xFF, 0xFF, 0xFF]));
        // Any other command before login closes the connection.
        var early = new TestConnection();
        await dispatcher.DispatchAsync(early.Connection, new PacketHeader(16, 1, 0, 3, 0x0301, 1, 0), default);

        Assert.Equal(3, recorder.Sum("teamtalk.gateway.rejected", "reason", "unknown_command"));
        Assert.Equal(1, recorder.Sum("teamtalk.gateway.rejected", "reason", "malformed"));
        Assert.Equal(1, recorder.Sum("teamtalk.gateway.rejected", "reason", "before_login"));
    }

    [Fact]
    public void Connections_are_observed_from_the_registry()
    {
        recorder.Observe();
        Assert.Equal(0d, Assert.Single(recorder.Values("teamtalk.gateway.connections")));
        Assert.Equal(0d, Assert.Single(recorder.Values("teamtalk.gateway.users_online")));
    }

    [Fact]
    public async Task The_cluster_client_check_follows_the_connected_silo_gateways()
    {
        var check = new ClusterClientHealthCheck();
        var context = new HealthCheckContext();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);

        check.NotifyGatewayCountChanged(1, 0, connectionRecovered: false);
        check.NotifyGatewayCountChanged(2, 1, connectionRecovered: false);
        var connected = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Healthy, connected.Status);
        Assert.Contains("2 silo", connected.Description, StringComparison.Ordinal);

        check.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);

        check.NotifyClusterConnectionLost();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);

        check.NotifyGatewayCountChanged(1, 0, connectionRecovered: true);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
    }
}
