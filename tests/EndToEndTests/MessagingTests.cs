using Google.Protobuf;
using MySqlConnector;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>One silo; gateway 0 with the default rate limit, gateway 1 with a raised one (for floods of our own).</summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    internal GatewayHandle Unlimited => Cluster.Gateways[1];

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        await Cluster.Database.SeedUsersAsync(["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10"]);
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
        await Cluster.StartGatewayAsync(new Dictionary<string, string> { ["TeamTalk:Gateway:MessageRateLimit"] = "100000" });
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>1:1 messaging over real TCP: ids, acks, every device, history, unread, read acks, recent sessions.</summary>
public sealed class MessagingTests(MessagingFixture fixture) : IClassFixture<MessagingFixture>
{
    [Fact]
    public async Task Four_devices_get_exactly_what_they_should_with_ids_1_2_3_and_history_agrees()
    {
        var (alice, bob) = (await Id("m1"), await Id("m2"));
        await using var alicePc = await Clients.LoginAsync(fixture.Gateway, "m1", ClientType.Windows);
        await using var alicePhone = await Clients.LoginAsync(fixture.Unlimited, "m1", ClientType.Android);
        await using var bobPc = await Clients.LoginAsync(fixture.Unlimited, "m2", ClientType.Mac);
        await using var bobPhone = await Clients.LoginAsync(fixture.Gateway, "m2", ClientType.Ios);

        var received = new Dictionary<TeamTalkClient, List<ReceivedFrame>> { [alicePc] = [], [alicePhone] = [], [bobPc] = [], [bobPhone] = [] };
        async Task<(ushort Seq, IMMsgDataAck Ack)> SendAsync(TeamTalkClient client, uint to, string text, uint claimedFrom = 0)
        {
            var seq = await Chat.SendTextAsync(client, to, text, claimedFrom);
            var deadline = DateTime.UtcNow + Clients.Reply;
            while (DateTime.UtcNow < deadline)
            {
                var frame = await client.ReceiveAsync(deadline - DateTime.UtcNow);
                Assert.NotNull(frame);
                if (frame.Command == CommandKeys.MessageDataAck)
                {
                    Assert.Equal(seq, frame.Header.SeqNum);
                    return (seq, frame.Parse<IMMsgDataAck>());
                }

                received[client].Add(frame);
            }

            throw new TimeoutException("no ack");
        }

        var (_, ack1) = await SendAsync(alicePc, bob, "hello bob", claimedFrom: 999);
        var (_, ack2) = await SendAsync(bobPhone, alice, "hi alice");
        var (_, ack3) = await SendAsync(alicePhone, bob, "from my phone");

        // The marker: message 4, from alice's PC. A conversation delivers in id order, each run once the previous one
        // was handed to the gateways, so every connection that gets message 4 has by then got all it was ever to get
        // of messages 1 to 3. Alice's PC gets no copy of its own message 4: its marker is message 3, and what it must
        // not get (its own message 1) would come before that.
        var (_, ack4) = await SendAsync(alicePc, bob, "marker");
        foreach (var (ack, from, to, id) in new[] { (ack1, alice, bob, 1u), (ack2, bob, alice, 2u), (ack3, alice, bob, 3u), (ack4, alice, bob, 4u) })
        {
            Assert.Equal((from, to, id, SessionType.Single), (ack.UserId, ack.SessionId, ack.MsgId, ack.SessionType));
        }

        // Each device: the messages it did not send itself, in id order, seq 0, server from/time/id.
        var expected = new Dictionary<TeamTalkClient, uint[]>
        {
            [alicePc] = [2, 3],
            [alicePhone] = [1, 2, 4],
            [bobPc] = [1, 2, 3, 4],
            [bobPhone] = [1, 3, 4],
        };
        foreach (var (client, ids) in expected)
        {
            var marker = ids[^1];
            var frames = await Markers.UntilAsync(client, Markers.Message(bob, marker), $"message {marker}", received[client]);
            var pushes = frames.Where(f => f.Command == CommandKeys.MessageData).ToList();
            Assert.Equal(ids, pushes.Select(p => p.Parse<IMMsgData>().MsgId).ToArray());
            Assert.All(pushes, p =>
            {
                Assert.Equal(0, p.Header.SeqNum);
                var message = p.Parse<IMMsgData>();
                Assert.Equal(message.MsgId == 2 ? bob : alice, message.FromUserId);
                Assert.Equal(message.MsgId == 2 ? alice : bob, message.ToSessionId);
                Assert.InRange(message.CreateTime, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
            });
        }

        var history = await Chat.RequestAsync<IMGetMsgListRsp>(bobPc, CommandKeys.ListRequest,
            new IMGetMsgListReq { UserId = 0, SessionType = SessionType.Single, SessionId = alice, MsgIdBegin = 0, MsgCnt = 10 }, CommandKeys.ListResponse);
        Assert.Equal([4u, 3u, 2u, 1u], history.MsgList.Select(m => m.MsgId).ToArray());
        Assert.Equal(["marker", "from my phone", "hi alice", "hello bob"], history.MsgList.Select(m => m.MsgData.ToStringUtf8()).ToArray());
        Assert.Equal([alice, alice, bob, alice], history.MsgList.Select(m => m.FromSessionId).ToArray());

        var page = await Chat.RequestAsync<IMGetMsgListRsp>(alicePc, CommandKeys.ListRequest,
            new IMGetMsgListReq { UserId = 0, SessionType = SessionType.Single, SessionId = bob, MsgIdBegin = 2, MsgCnt = 1 }, CommandKeys.ListResponse);
        Assert.Equal([2u], page.MsgList.Select(m => m.MsgId).ToArray());
        Assert.Equal(2u, page.MsgIdBegin);

        var byId = await Chat.RequestAsync<IMGetMsgByIdRsp>(alicePhone, CommandKeys.ByIdRequest,
            new IMGetMsgByIdReq { UserId = 0, SessionType = SessionType.Single, SessionId = bob, MsgIdList = { 1, 3, 99 } }, CommandKeys.ByIdResponse);
        Assert.Equal([3u, 1u], byId.MsgList.Select(m => m.MsgId).ToArray());

        var latest = await Chat.RequestAsync<IMGetLatestMsgIdRsp>(bobPhone, CommandKeys.LatestIdRequest,
            new IMGetLatestMsgIdReq { UserId = 0, SessionType = SessionType.Single, SessionId = alice }, CommandKeys.LatestIdResponse);
        Assert.Equal(4u, latest.LatestMsgId);

        // A third party sees nothing of the conversation.
        await using var carol = await Clients.LoginAsync(fixture.Gateway, "m3", ClientType.Android);
        var other = await Chat.RequestAsync<IMGetMsgByIdRsp>(carol, CommandKeys.ByIdRequest,
            new IMGetMsgByIdReq { UserId = alice, SessionType = SessionType.Single, SessionId = bob, MsgIdList = { 1, 2, 3 } }, CommandKeys.ByIdResponse);
        Assert.Empty(other.MsgList);
    }

    [Fact]
    public async Task An_offline_receiver_finds_unread_counts_and_a_read_ack_clears_them_up_to_the_acked_id()
    {
        var (sender, receiver) = (await Id("m4"), await Id("m5"));
        await using (var s = await Clients.LoginAsync(fixture.Gateway, "m4", ClientType.Android))
        {
            for (var i = 1; i <= 3; i++)
            {
                await Chat.SendTextAsync(s, receiver, $"unread {i}");
                Assert.NotNull(await s.ReceiveAsync(CommandKeys.MessageDataAck, Clients.Reply));
            }
        }

        await using var pc = await Clients.LoginAsync(fixture.Gateway, "m5", ClientType.Windows);
        await using var phone = await Clients.LoginAsync(fixture.Unlimited, "m5", ClientType.Android);
        var unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(pc, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        Assert.Equal(receiver, unread.UserId);
        Assert.Equal(3u, unread.TotalCnt);
        var info = Assert.Single(unread.UnreadinfoList);
        Assert.Equal((sender, SessionType.Single, 3u, 3u, sender), (info.SessionId, info.SessionType, info.UnreadCnt, info.LatestMsgId, info.LatestMsgFromUserId));
        Assert.Equal("unread 3", info.LatestMsgData.ToStringUtf8());

        await pc.SendAsync(CommandKeys.ReadAck, new IMMsgDataReadAck { UserId = 0, SessionId = sender, MsgId = 2, SessionType = SessionType.Single });
        var notify = await phone.ReceiveAsync(CommandKeys.ReadNotify, Clients.Reply);
        Assert.NotNull(notify);
        Assert.Equal(0, notify.Header.SeqNum);
        var read = notify.Parse<IMMsgDataReadNotify>();
        Assert.Equal((receiver, sender, 2u, SessionType.Single), (read.UserId, read.SessionId, read.MsgId, read.SessionType));

        unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(phone, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        Assert.Equal(1u, Assert.Single(unread.UnreadinfoList).UnreadCnt);

        // Recent sessions show the conversation with its real last sender; removing it clears it and notifies.
        var recent = await Chat.RequestAsync<IMRecentContactSessionRsp>(pc, CommandKeys.RecentSessionRequest,
            new IMRecentContactSessionReq { UserId = 0, LatestUpdateTime = 0 }, CommandKeys.RecentSessionResponse);
        var session = Assert.Single(recent.ContactSessionList);
        Assert.Equal((sender, 3u, sender), (session.SessionId, session.LatestMsgId, session.LatestMsgFromUserId));
        var later = await Chat.RequestAsync<IMRecentContactSessionRsp>(pc, CommandKeys.RecentSessionRequest,
            new IMRecentContactSessionReq { UserId = 0, LatestUpdateTime = session.UpdatedTime }, CommandKeys.RecentSessionResponse);
        Assert.Empty(later.ContactSessionList);

        var removed = await Chat.RequestAsync<IMRemoveSessionRsp>(pc, CommandKeys.RemoveSessionRequest,
            new IMRemoveSessionReq { UserId = 0, SessionType = SessionType.Single, SessionId = sender }, CommandKeys.RemoveSessionResponse);
        Assert.Equal(0u, removed.ResultCode);
        var removedNotify = await phone.ReceiveAsync(CommandKeys.RemoveSessionNotify, Clients.Reply);
        Assert.NotNull(removedNotify);
        Assert.Equal(sender, removedNotify.Parse<IMRemoveSessionNotify>().SessionId);
        recent = await Chat.RequestAsync<IMRecentContactSessionRsp>(pc, CommandKeys.RecentSessionRequest,
            new IMRecentContactSessionReq { UserId = 0, LatestUpdateTime = 0 }, CommandKeys.RecentSessionResponse);
        Assert.Empty(recent.ContactSessionList);
        unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(pc, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        Assert.Empty(unread.UnreadinfoList);
    }

    [Fact]
    public async Task Four_devices_sending_125_messages_each_without_waiting_get_ids_1_to_500_in_send_order()
    {
        var (a, b) = (await Id("m6"), await Id("m7"));
        var devices = new[]
        {
            (Client: await Clients.LoginAsync(fixture.Unlimited, "m6", ClientType.Windows), To: b, Name: "a-pc"),
            (Client: await Clients.LoginAsync(fixture.Unlimited, "m6", ClientType.Android), To: b, Name: "a-phone"),
            (Client: await Clients.LoginAsync(fixture.Unlimited, "m7", ClientType.Mac), To: a, Name: "b-pc"),
            (Client: await Clients.LoginAsync(fixture.Unlimited, "m7", ClientType.Ios), To: a, Name: "b-phone"),
        };
        try
        {
            await Task.WhenAll(devices.Select(async d =>
            {
                for (var i = 0; i < 125; i++)
                {
                    await Chat.SendTextAsync(d.Client, d.To, $"{d.Name} {i}");
                }
            }));

            var acked = new Dictionary<string, List<uint>>();
            foreach (var d in devices)
            {
                var acks = await Chat.CollectAsync(d.Client, CommandKeys.MessageDataAck, 125, TimeSpan.FromSeconds(60));
                acked[d.Name] = [.. acks.Select(x => x.Parse<IMMsgDataAck>().MsgId)];
                Assert.Equal(125, acked[d.Name].Count);
                Assert.True(acked[d.Name].SequenceEqual(acked[d.Name].Order()), $"{d.Name}: its own messages got ids in its send order");
            }

            var all = acked.Values.SelectMany(x => x).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, 500).Select(i => (uint)i).ToArray(), all);

            // History order equals id order and each device's texts appear in its send order; every acked id is in MySQL.
            var history = new List<MsgInfo>();
            uint begin = 0;
            do
            {
                var page = await Chat.RequestAsync<IMGetMsgListRsp>(devices[0].Client, CommandKeys.ListRequest,
                    new IMGetMsgListReq { UserId = 0, SessionType = SessionType.Single, SessionId = b, MsgIdBegin = begin, MsgCnt = 100 }, CommandKeys.ListResponse);
                Assert.True(page.MsgList.Count <= 100);
                history.AddRange(page.MsgList);
                begin = page.MsgList.Count == 0 ? 0 : page.MsgList[^1].MsgId - 1;
            }
            while (begin > 0);

            Assert.Equal(Enumerable.Range(1, 500).Reverse().Select(i => (uint)i).ToArray(), history.Select(m => m.MsgId).ToArray());
            foreach (var d in devices)
            {
                var texts = history.Select(m => m.MsgData.ToStringUtf8()).Where(t => t.StartsWith(d.Name + " ", StringComparison.Ordinal)).Reverse().ToArray();
                Assert.Equal(Enumerable.Range(0, 125).Select(i => $"{d.Name} {i}").ToArray(), texts);
            }

            Assert.Equal(500, await CountRowsAsync(a, b));
        }
        finally
        {
            foreach (var d in devices)
            {
                await d.Client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Fifty_messages_in_one_write_are_limited_to_20_and_the_connection_stays_usable()
    {
        var to = await Id("m9");
        await using var client = await Clients.LoginAsync(fixture.Gateway, "m8", ClientType.Android);
        using var burst = new MemoryStream();
        for (var i = 0; i < 50; i++)
        {
            var body = Chat.Text(to, $"burst {i}").ToByteArray();
            var frame = new byte[16 + body.Length];
            Protocol.Framing.PacketHeader.ForServer(3, 0x0301, (ushort)(i + 1), body.Length).Write(frame);
            body.CopyTo(frame, 16);
            burst.Write(frame);
        }

        await client.SendRawAsync(burst.ToArray());
        Assert.NotNull(await client.ReceiveAsync(CommandKeys.MessageDataAck, Clients.Reply));

        // The limit holds per one-second window of the gateway's clock (RateWindow), so a message is accepted again only
        // in the next window. That window has begun 1 s after the first ack arrived (the window opened when the burst was
        // read, before that ack was sent), plus the coarseness of the gateway's tick count: this wait is the behaviour
        // under test, not a guess at how long something takes.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));

        // The marker: the accepted message's ack. A connection's messages are committed and acknowledged one at a time
        // in the order they were sent, so every ack of the burst comes before it.
        var seq = await Chat.SendTextAsync(client, to, "after the burst");
        var frames = await Markers.UntilAsync(client, Markers.Reply(CommandKeys.MessageDataAck, seq), "the ack of the message after the burst");
        Assert.InRange(1 + frames.SkipLast(1).Count(f => f.Command == CommandKeys.MessageDataAck), 1, 20);
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(
            fixture.Gateway.Process.Output.Any(l => l.Contains("messages over the limit of 20 per second", StringComparison.Ordinal))), "the one-line rate-limit report");
    }

    [Fact]
    public async Task Bad_messages_are_rejected_without_ack_and_nothing_is_stored()
    {
        var to = await Id("m10");
        await using var client = await Clients.LoginAsync(fixture.Gateway, "m10", ClientType.Android);
        await Chat.SendTextAsync(client, 999_999, "to nobody");
        await Chat.SendTextAsync(client, to, "to myself");
        await client.SendAsync(CommandKeys.MessageData, Chat.Text(await Id("m1"), string.Empty));
        await client.SendAsync(CommandKeys.MessageData, Chat.Text(await Id("m1"), new string('x', 4097)));
        var invalid = Chat.Text(await Id("m1"), "x");
        invalid.MsgData = Google.Protobuf.ByteString.CopyFrom(0xff, 0xfe, 0x80);
        await client.SendAsync(CommandKeys.MessageData, invalid);

        // The marker: a valid message's ack. A connection's messages are handed over and acknowledged one at a time in
        // the order they were sent, so an ack of any message above would come before it (and its handling be over).
        var seq = await Chat.SendTextAsync(client, await Id("m1"), new string('y', 4096));
        var frames = await Markers.AssertNoneBeforeAsync(
            client, Markers.Command(CommandKeys.MessageDataAck), Markers.Reply(CommandKeys.MessageDataAck, seq), "the ack of a valid message");
        Assert.Equal(1u, frames[^1].Parse<IMMsgDataAck>().MsgId);
        Assert.Equal(0, await CountRowsAsync(to, 999_999));
        Assert.Equal(1, await CountRowsAsync(to, await Id("m1")));
    }

    private Task<uint> Id(string name) => fixture.Cluster.Database.UserIdAsync(name);

    private async Task<int> CountRowsAsync(uint a, uint b)
    {
        await using var connection = new MySqlConnection(fixture.Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var relation = new MySqlCommand("SELECT id FROM IMRelationShip WHERE smallId = @s AND bigId = @b", connection);
        relation.Parameters.AddWithValue("@s", Math.Min(a, b));
        relation.Parameters.AddWithValue("@b", Math.Max(a, b));
        if (await relation.ExecuteScalarAsync() is not { } id)
        {
            return 0;
        }

        var relateId = Convert.ToUInt32(id, System.Globalization.CultureInfo.InvariantCulture);
        await using var count = new MySqlCommand($"SELECT COUNT(DISTINCT msgId), COUNT(*) FROM IMMessage_{relateId % 8} WHERE relateId = @r", connection);
        count.Parameters.AddWithValue("@r", relateId);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1)); // no id stored twice
        return (int)reader.GetInt64(0);
    }
}
