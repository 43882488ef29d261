using System.Net;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Two nodes of one process each (a silo hosting a gateway, <c>TeamTalk:Silo:HostGateway</c>) and a gateway process of
/// its own next to them (a mixed cluster), production profile.
/// </summary>
public sealed class OneProcessNodesFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync(production: true);
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        await Cluster.Database.SeedUsersAsync(["n1", "n2"]);
        await Cluster.StartNodeAsync();
        await Cluster.StartNodeAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>A gateway inside a silo's process serves clients as a gateway process does, next to another node and to a gateway process.</summary>
public sealed class OneProcessNodeTests(OneProcessNodesFixture fixture) : IClassFixture<OneProcessNodesFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Messages_reach_every_device_on_both_nodes_and_the_gateway_process_in_id_order_with_acks()
    {
        var (a, b, separate) = (fixture.Cluster.Gateways[0], fixture.Cluster.Gateways[1], fixture.Cluster.Gateways[2]);
        var (n1, n2) = (await fixture.Cluster.Database.UserIdAsync("n1"), await fixture.Cluster.Database.UserIdAsync("n2"));
        await using var n1Pc = await Clients.LoginAsync(a, "n1", ClientType.Windows);
        await using var n1Phone = await Clients.LoginAsync(separate, "n1", ClientType.Android);
        await using var n2Pc = await Clients.LoginAsync(b, "n2", ClientType.Mac);

        // Each conversation's grain lives on one of the two silos: pushes reach a gateway in its own process (a method
        // call), one in the other node's and the gateway process (observer calls). The sending PC gets no copy of its own
        // messages.
        for (var i = 1u; i <= 3; i++)
        {
            var seq = await Chat.SendTextAsync(n1Pc, n2, $"to n2 #{i}");
            var frames = await Markers.AssertNoneBeforeAsync(n1Pc, Markers.Command(CommandKeys.MessageData), Markers.Reply(CommandKeys.MessageDataAck, seq), $"ack {i}");
            var ack = frames[^1].Parse<IMMsgDataAck>();
            Assert.Equal((n1, n2, i), (ack.UserId, ack.SessionId, ack.MsgId));
        }

        var back = await Chat.SendTextAsync(n2Pc, n1, "to n1");
        var untilAck = await Markers.UntilAsync(n2Pc, Markers.Reply(CommandKeys.MessageDataAck, back), "ack of n2's message");
        Assert.Equal(4u, untilAck[^1].Parse<IMMsgDataAck>().MsgId);

        // n2's answer was accepted after messages 1 to 3 were handed off, so they came before its ack.
        var toN2 = await Markers.UntilAsync(n2Pc, Markers.Message(n2, 3), "message 3 on n2's PC", untilAck);
        Assert.Equal([1u, 2u, 3u], toN2.Where(f => f.Command == CommandKeys.MessageData).Select(f => f.Parse<IMMsgData>().MsgId).ToArray());

        // n1's phone gets its other device's messages and n2's answer, in id order; n1's PC only the answer.
        var onPhone = await Markers.UntilAsync(n1Phone, Markers.Message(n1, 4), "message 4 on n1's phone");
        Assert.Equal([1u, 2u, 3u, 4u], onPhone.Where(f => f.Command == CommandKeys.MessageData).Select(f => f.Parse<IMMsgData>().MsgId).ToArray());
        var onPc = await Markers.UntilAsync(n1Pc, Markers.Message(n1, 4), "message 4 on n1's PC");
        Assert.Equal([4u], onPc.Where(f => f.Command == CommandKeys.MessageData).Select(f => f.Parse<IMMsgData>().MsgId).ToArray());
        Assert.Empty(fixture.Cluster.ErrorLines());
    }

    [Fact]
    public async Task Discovery_is_served_on_the_gateway_port_and_the_dashboard_only_on_its_own()
    {
        var (silo, gateway) = (fixture.Cluster.Silos[0], fixture.Cluster.Gateways[0]);
        using var discovery = await TestCluster.DiscoverAsync(gateway);
        Assert.Equal(0, discovery.RootElement.GetProperty("code").GetInt32());

        foreach (var path in new[] { "/dashboard", "/dashboard/", "/DashBoard/", "/dashboard/ClusterStats" })
        {
            using var onGatewayPort = await Http.GetAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}{path}"));
            Assert.Equal(HttpStatusCode.NotFound, onGatewayPort.StatusCode);
        }

        using var onDashboardPort = await Http.GetAsync(new Uri($"http://127.0.0.1:{silo.DashboardPort}/dashboard"));
        Assert.Equal(HttpStatusCode.OK, onDashboardPort.StatusCode);
        using var health = await Http.GetAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}

/// <summary>Stopping a one-process node: the gateway goes first, and what it holds does not hold up the silo.</summary>
public sealed class OneProcessNodeStopTests : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync();
        await cluster.Database.SeedUsersAsync(["stop1"]);
        await cluster.StartNodeAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task SIGTERM_closes_the_clients_and_an_idle_file_connection_and_the_process_exits_cleanly()
    {
        var (node, gateway) = (cluster.Silos[0], cluster.Gateways[0]);
        await using var client = await Clients.LoginAsync(gateway, "stop1", ClientType.Windows);
        using var file = new System.Net.Sockets.TcpClient();
        await file.ConnectAsync("127.0.0.1", gateway.FileTcpPort);

        // The drain closes file connections as well as client connections: left to themselves they end at their own
        // login deadline (mid-transfer, not at all), Kestrel waits for them, and the silo's share of the stop budget
        // shrinks accordingly. Before the fix this one was reset seconds later instead of closed at once.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await node.Process.StopAsync(TimeSpan.FromSeconds(60));
        Assert.True(node.Process.HasExited);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopped in {stopping.Elapsed} (the stop budget: 15 s, and the gateway's drain on top)");
        Assert.Equal(0, node.Process.ExitCode);
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, await file.GetStream().ReadAsync(new byte[1]));
        Assert.Contains(node.Process.Output, line => line.Contains("closed 1 client connections (0 still open after the drain timeout, aborted) and 1 file connections", StringComparison.Ordinal));
    }
}
