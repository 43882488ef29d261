using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>The failure limiter (behaviour.md 4.2) is persisted: it holds across a silo crash and restart.</summary>
public sealed class FailureLimiterTests : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync();
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Eleven_failures_block_the_name_even_after_the_silo_is_killed_and_restarted()
    {
        var gateway = cluster.Gateways[0];
        for (var i = 1; i <= 11; i++)
        {
            Assert.Equal("用户名/密码错误", await AttemptAsync(gateway, "carol", "not-the-password"));
        }

        Assert.Equal("用户名/密码错误次数太多", await AttemptAsync(gateway, "carol", TestDatabase.Password));

        var silo = cluster.Silos[0];
        silo.Process.Kill();
        await cluster.StartSiloAsync(reuse: silo);

        // The gateway reconnects to the restarted silo; then the name is still blocked, other names are not.
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(60), async () =>
            await AttemptAsync(gateway, "dave", TestDatabase.Password) == "成功", "login after the silo restart");
        Assert.Equal("用户名/密码错误次数太多", await AttemptAsync(gateway, "carol", TestDatabase.Password));
    }

    private static async Task<string?> AttemptAsync(GatewayHandle gateway, string user, string password)
    {
        await using var client = await Clients.ConnectAsync(gateway);
        var (response, _) = await client.LoginAsync(user, password, ClientType.Windows, Clients.Reply);
        if (response is not null && response.ResultCode != ResultType.RefuseReasonNone)
        {
            Assert.Equal(response.ResultCode == ResultType.RefuseReasonNoDbServer ? ResultType.RefuseReasonNoDbServer : ResultType.RefuseReasonDbValidateFailed, response.ResultCode);
        }

        return response?.ResultString;
    }
}
