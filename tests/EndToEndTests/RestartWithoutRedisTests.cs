using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Ids and unread counts come from MySQL alone: no Redis runs anywhere (the test command starts none and the cluster is
/// given none), and they are right after the only silo is killed and started again, with every grain's memory gone.
/// </summary>
public sealed class RestartWithoutRedisTests : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync();
        cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Without_Redis_ids_continue_and_unread_counts_are_right_across_a_silo_restart()
    {
        Assert.Null(Environment.GetEnvironmentVariable("TT_TEST_REDIS"));
        var gateway = cluster.Gateways[0];
        var (sender, receiver) = (await cluster.Database.UserIdAsync("alice"), await cluster.Database.UserIdAsync("bob"));
        await using (var client = await Clients.LoginAsync(gateway, "alice", ClientType.Android))
        {
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal((uint)i, await SendAsync(client, receiver, $"before the restart {i}"));
            }
        }

        var silo = cluster.Silos[0];
        silo.Process.Kill();
        await cluster.StartSiloAsync(reuse: silo);

        uint next = 0;
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(60), async () =>
        {
            await using var client = await Clients.ConnectAsync(gateway);
            var (response, _) = await client.LoginAsync("alice", TestDatabase.Password, ClientType.Android, Clients.Reply);
            if (response?.ResultCode != ResultType.RefuseReasonNone)
            {
                return false;
            }

            next = await SendAsync(client, receiver, "after the restart");
            return next != 0;
        }, "a message acked after the silo restart");
        Assert.Equal(4u, next);

        await using var reader = await Clients.LoginAsync(gateway, "bob", ClientType.Android);
        var unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(reader, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        var info = Assert.Single(unread.UnreadinfoList);
        Assert.Equal((sender, 4u, 4u, 4u), (info.SessionId, info.UnreadCnt, info.LatestMsgId, unread.TotalCnt));
    }

    /// <summary>Sends a text and returns its acked id, or 0 when no ack came in time.</summary>
    private static async Task<uint> SendAsync(TeamTalkClient client, uint to, string text)
    {
        var seq = await Chat.SendTextAsync(client, to, text);
        var deadline = DateTime.UtcNow + Clients.Reply;
        while (DateTime.UtcNow < deadline)
        {
            var ack = await client.ReceiveAsync(CommandKeys.MessageDataAck, deadline - DateTime.UtcNow);
            if (ack?.Header.SeqNum == seq)
            {
                return ack.Parse<IMMsgDataAck>().MsgId;
            }
        }

        return 0;
    }
}
