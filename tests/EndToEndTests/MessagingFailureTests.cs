using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>Message ids across a silo crash in a two-silo cluster.</summary>
public sealed class MessagingFailureTests : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync(production: true);
        await cluster.Database.SeedUsersAsync(["f1", "f2", "f3", "f4"]);
        cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_killed_mid_stream_loses_no_acked_message_and_ids_keep_increasing()
    {
        var receiver = await cluster.Database.UserIdAsync("f4");
        await using var client = await Clients.LoginAsync(cluster.Gateways[0], "f3", ClientType.Android);
        await using var other = await Clients.LoginAsync(cluster.Gateways[1], "f4", ClientType.Windows);
        var acked = new List<uint>();
        var killedAt = -1;
        var started = DateTime.UtcNow;
        for (var i = 0; acked.Count < 60 && DateTime.UtcNow - started < TimeSpan.FromSeconds(90); i++)
        {
            if (acked.Count == 20 && killedAt < 0)
            {
                cluster.Silos[0].Process.Kill();
                killedAt = acked.Count;
            }

            var id = await SendAsync(client, receiver, $"stream {i}", TimeSpan.FromSeconds(8));
            if (id != 0)
            {
                acked.Add(id);
            }
        }

        Assert.True(killedAt >= 0, "the silo was killed mid-stream");
        Assert.Equal(60, acked.Count);
        Assert.True(acked.SequenceEqual(acked.Order()) && acked.Distinct().Count() == acked.Count, "acked ids strictly increase: " + string.Join(",", acked));

        var history = await Chat.RequestAsync<IMGetMsgListRsp>(other, CommandKeys.ListRequest,
            new IMGetMsgListReq { UserId = 0, SessionType = SessionType.Single, SessionId = await cluster.Database.UserIdAsync("f3"), MsgIdBegin = 0, MsgCnt = 100 },
            CommandKeys.ListResponse);
        var ids = history.MsgList.Select(m => m.MsgId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.SequenceEqual(ids.OrderDescending()), "history is in id order");
        Assert.All(acked, id => Assert.Single(ids, id));
    }

    /// <summary>Sends a text and returns its acked id, or 0 when no ack came within the timeout.</summary>
    private static async Task<uint> SendAsync(TeamTalkClient client, uint to, string text, TimeSpan? timeout = null)
    {
        var seq = await Chat.SendTextAsync(client, to, text);
        var deadline = DateTime.UtcNow + (timeout ?? Clients.Reply);
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
