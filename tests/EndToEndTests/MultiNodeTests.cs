using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>Two silos and two gateways, production profile (ADO.NET clustering and storage on MariaDB).</summary>
public sealed class TwoNodeClusterFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync(production: true);
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        await Cluster.StartSiloAsync();
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Discovery balance and cross-gateway kicks.</summary>
public sealed class MultiNodeTests(TwoNodeClusterFixture fixture) : IClassFixture<TwoNodeClusterFixture>
{
    [Fact]
    public async Task Discovery_on_either_gateway_names_the_less_loaded_one()
    {
        var (a, b) = (fixture.Cluster.Gateways[0], fixture.Cluster.Gateways[1]);
        await using var c1 = await Clients.LoginAsync(a, "alice", ClientType.Android);
        await using var c2 = await Clients.LoginAsync(a, "bob", ClientType.Android);
        await using var c3 = await Clients.LoginAsync(a, "carol", ClientType.Android);

        foreach (var asked in new[] { a, b })
        {
            await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), async () =>
            {
                using var json = await TestCluster.DiscoverAsync(asked);
                return json.RootElement.GetProperty("port").GetString() == b.TcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }, $"discovery on gateway {asked.TcpPort} naming the less-loaded gateway {b.TcpPort}");
        }
    }

    [Fact]
    public async Task A_login_on_gateway_B_kicks_the_same_class_connection_on_gateway_A()
    {
        var (a, b) = (fixture.Cluster.Gateways[0], fixture.Cluster.Gateways[1]);
        await using var first = await Clients.LoginAsync(a, "dave", ClientType.Mac);
        await using var second = await Clients.LoginAsync(b, "dave", ClientType.Windows);
        var kick = await first.ReceiveAsync(CommandKeys.KickUser, Clients.Reply);
        Assert.NotNull(kick);
        Assert.Equal(KickReasonType.KickReasonDuplicateUser, kick.Parse<IMKickUser>().KickReason);
        Assert.True(await first.WaitClosedAsync(TimeSpan.FromSeconds(10)));
        Assert.False(second.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_phone_on_gateway_B_kicks_the_pc_on_gateway_A_with_reason_mobile_kick()
    {
        var (a, b) = (fixture.Cluster.Gateways[0], fixture.Cluster.Gateways[1]);
        var userId = (await fixture.Cluster.Database.SeedUsersAsync(["kickpc"]))[0];
        await using var pc = await Clients.LoginAsync(a, "kickpc", ClientType.Windows);
        await using var phone = await Clients.LoginAsync(b, "kickpc", ClientType.Android);

        var seq = await phone.SendAsync(CommandKeys.KickPcClientRequest, new IMKickPCClientReq { UserId = 0 });

        var reply = await phone.ReceiveAsync(CommandKeys.KickPcClientResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal(seq, reply.Header.SeqNum);
        var body = reply.Parse<IMKickPCClientRsp>();
        Assert.Equal((userId, 0u), (body.UserId, body.ResultCode));
        var kick = await pc.ReceiveAsync(CommandKeys.KickUser, Clients.Reply);
        Assert.NotNull(kick);
        Assert.Equal(0, kick.Header.SeqNum);
        Assert.Equal((userId, KickReasonType.KickReasonMobileKick), (kick.Parse<IMKickUser>().UserId, kick.Parse<IMKickUser>().KickReason));
        Assert.True(await pc.WaitClosedAsync(TimeSpan.FromSeconds(10)), "the kicked PC is closed after the grace period");
        Assert.False(phone.Closed.IsCompleted);
    }
}

/// <summary>Losing a silo: logins work again within 30 s.</summary>
public sealed class SiloLossTests : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync(production: true);
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task After_a_silo_is_SIGKILLed_every_user_can_log_in_within_30_seconds()
    {
        // Each user logs in once before the loss, on the two gateways in turn, so that user and login grains are active
        // across both silos and both gateways' cluster clients are in use when one silo dies.
        string[] users = ["alice", "bob", "carol", "dave", "erin", "frank"];
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            await using var warm = await Clients.LoginAsync(cluster.Gateways[i % 2], user, ClientType.Ios);
        }

        cluster.Silos[0].Process.Kill();
        var killed = DateTime.UtcNow;
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            var gateway = cluster.Gateways[i % 2];
            var left = TimeSpan.FromSeconds(30) - (DateTime.UtcNow - killed);
            await Eventually.SucceedsAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), async () =>
            {
                await using var client = await Clients.ConnectAsync(gateway);
                var (response, _) = await client.LoginAsync(user, TestDatabase.Password, ClientType.Android, TimeSpan.FromSeconds(8));
                return response?.ResultCode == ResultType.RefuseReasonNone;
            }, $"login of {user} after the silo loss");
        }
    }
}
