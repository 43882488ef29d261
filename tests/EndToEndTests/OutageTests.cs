using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>A MariaDB outage: a server of the test's own that it stops and starts again.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private PrivateServer mariaDb = null!;
    private TestDatabase database = null!;
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        mariaDb = await PrivateServer.StartMariaDbAsync();
        database = await TestDatabase.CreateAsync(mariaDb.ConnectionString);
        cluster = await TestCluster.CreateAsync(database: database);
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await database.DisposeAsync();
        await mariaDb.DisposeAsync();
    }

    [Fact]
    public async Task With_MariaDB_down_logins_answer_result_3_and_work_again_after_it_returns()
    {
        var gateway = cluster.Gateways[0];
        await using (await Clients.LoginAsync(gateway, "alice"))
        {
        }

        await mariaDb.StopAsync();
        foreach (var user in new[] { "alice", "bob" })
        {
            await using var client = await Clients.ConnectAsync(gateway);
            var (response, _) = await client.LoginAsync(user, TestDatabase.Password, ClientType.Windows, TimeSpan.FromSeconds(30));
            Assert.NotNull(response);
            Assert.Equal(ResultType.RefuseReasonNoDbServer, response.ResultCode);
            Assert.Equal("服务端异常", response.ResultString);
            Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(5)), "the connection is closed after the refusal");
        }

        await mariaDb.StartAsync();
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), async () =>
            {
                await using var client = await Clients.ConnectAsync(gateway);
                var (response, _) = await client.LoginAsync(user, TestDatabase.Password, ClientType.Windows, TimeSpan.FromSeconds(10));
                return response?.ResultCode == ResultType.RefuseReasonNone;
            }, $"login of {user} after MariaDB returned");
        }
    }
}
