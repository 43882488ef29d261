using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using MySqlConnector;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>One silo (restarted by a test) and one gateway, for audio messages.</summary>
public sealed class AudioFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        await Cluster.Database.SeedUsersAsync(["v1", "v2", "v3", "v4"]);
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Audio messages (behaviour.md 1.5, 3.4.1, 3.4.6): inline delivery, IMAudio rows with the voice in the blob store, history.</summary>
public sealed class AudioTests(AudioFixture fixture) : IClassFixture<AudioFixture>
{
    [Fact]
    public async Task Audio_1to1_and_group_is_delivered_inline_stored_and_returned_by_history_also_after_a_silo_restart()
    {
        var (v1, v2, v3) = (await Id("v1"), await Id("v2"), await Id("v3"));
        var single = Clip(3, 3000);
        var grouped = Clip(7, 5001);
        uint group;
        uint singleId;
        uint groupId;
        await using (var sender = await Clients.LoginAsync(fixture.Gateway, "v1"))
        await using (var receiver = await Clients.LoginAsync(fixture.Gateway, "v2", ClientType.Android))
        {
            singleId = (await SendAsync(sender, v2, MsgType.SingleAudio, single)).MsgId;
            AssertAudio(await PushAsync(receiver, v2, singleId), v1, MsgType.SingleAudio, single);

            group = (await Chat.RequestAsync<IMGroupCreateRsp>(sender, CommandKeys.GroupCreateRequest, new IMGroupCreateReq
            {
                UserId = 0, GroupType = GroupType.Tmp, GroupName = "voices", GroupAvatar = string.Empty, MemberIdList = { v1, v2, v3 },
            }, CommandKeys.GroupCreateResponse)).GroupId;
            groupId = (await SendAsync(sender, group, MsgType.GroupAudio, grouped)).MsgId;
            AssertAudio(await PushAsync(receiver, group, groupId), v1, MsgType.GroupAudio, grouped);

            // Recent sessions and unread show the encrypted "[语音]", as the original.
            var recent = await Chat.RequestAsync<IMRecentContactSessionRsp>(receiver, CommandKeys.RecentSessionRequest,
                new IMRecentContactSessionReq { UserId = 0, LatestUpdateTime = 0 }, CommandKeys.RecentSessionResponse);
            var withV1 = Assert.Single(recent.ContactSessionList, s => s.SessionId == v1 && s.SessionType == SessionType.Single);
            Assert.Equal((singleId, MsgType.SingleAudio, "[语音]"), (withV1.LatestMsgId, withV1.LatestMsgType, Decrypt(withV1.LatestMsgData)));
            var unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(receiver, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
            var fromGroup = Assert.Single(unread.UnreadinfoList, s => s.SessionId == group && s.SessionType == SessionType.Group);
            Assert.Equal((groupId, MsgType.GroupAudio, "[语音]"), (fromGroup.LatestMsgId, fromGroup.LatestMsgType, Decrypt(fromGroup.LatestMsgData)));

            await AssertHistoryAsync(receiver, SessionType.Single, v1, singleId, v1, MsgType.SingleAudio, single);
            await AssertHistoryAsync(receiver, SessionType.Group, group, groupId, v1, MsgType.GroupAudio, grouped);
        }

        // The rows are the original's: IMAudio (size, duration) and a message row whose content is the IMAudio id.
        await using (var connection = new MySqlConnection(fixture.Cluster.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var rows = new MySqlCommand(
                "SELECT a.size, a.duration FROM IMAudio a JOIN IMGroupMessage_" + (group % 8) + " m ON m.content = CAST(a.id AS CHAR) WHERE m.groupId = @g AND m.msgId = @m", connection);
            rows.Parameters.AddWithValue("@g", group);
            rows.Parameters.AddWithValue("@m", groupId);
            await using var reader = await rows.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((5001u, 7u), (Convert.ToUInt32(reader.GetValue(0)), Convert.ToUInt32(reader.GetValue(1))));
        }

        var silo = fixture.Cluster.Silos[0];
        silo.Process.Kill();
        await fixture.Cluster.StartSiloAsync(reuse: silo);

        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(60), async () =>
        {
            await using var probe = await Clients.ConnectAsync(fixture.Gateway);
            var (response, _) = await probe.LoginAsync("v4", TestDatabase.Password, ClientType.Windows, Clients.Reply);
            return response?.ResultCode == ResultType.RefuseReasonNone;
        }, "login after the silo restart");
        await using var member = await Clients.LoginAsync(fixture.Gateway, "v3");
        await AssertHistoryAsync(member, SessionType.Group, group, groupId, v1, MsgType.GroupAudio, grouped);
        await using var peer = await Clients.LoginAsync(fixture.Gateway, "v2");
        await AssertHistoryAsync(peer, SessionType.Single, v1, singleId, v1, MsgType.SingleAudio, single);
    }

    [Fact]
    public async Task Audio_of_4_bytes_or_less_is_rejected_without_an_ack()
    {
        var v2 = await Id("v2");
        await using var sender = await Clients.LoginAsync(fixture.Gateway, "v4");
        await sender.SendAsync(CommandKeys.MessageData, Audio(v2, MsgType.SingleAudio, [0, 0, 0, 1]));
        await sender.SendAsync(CommandKeys.MessageData, Audio(v2, MsgType.SingleAudio, [0, 0, 1]));
        await Markers.AssertNoneBeforeRoundTripAsync(sender, Markers.Command(CommandKeys.MessageDataAck), "two audio messages of 4 bytes or less");
    }

    private Task<uint> Id(string name) => fixture.Cluster.Database.UserIdAsync(name);

    /// <summary>The 4-byte big-endian duration followed by random voice bytes.</summary>
    private static byte[] Clip(uint seconds, int voiceBytes)
    {
        var data = new byte[4 + voiceBytes];
        BinaryPrimitives.WriteUInt32BigEndian(data, seconds);
        RandomNumberGenerator.Fill(data.AsSpan(4));
        return data;
    }

    private static IMMsgData Audio(uint to, MsgType type, byte[] data) => new()
    {
        FromUserId = 0, ToSessionId = to, MsgId = 0, CreateTime = 0, MsgType = type, MsgData = ByteString.CopyFrom(data),
    };

    private static async Task<IMMsgDataAck> SendAsync(TeamTalkClient client, uint to, MsgType type, byte[] data)
    {
        var seq = await client.SendAsync(CommandKeys.MessageData, Audio(to, type, data));
        var frames = await Markers.UntilAsync(client, Markers.Reply(CommandKeys.MessageDataAck, seq), "the audio's ack");
        var ack = frames[^1].Parse<IMMsgDataAck>();
        Assert.True(ack.MsgId > 0);
        return ack;
    }

    private static async Task<IMMsgData> PushAsync(TeamTalkClient client, uint to, uint msgId) =>
        (await Markers.UntilAsync(client, Markers.Message(to, msgId), $"message {msgId}"))[^1].Parse<IMMsgData>();

    private static void AssertAudio(IMMsgData message, uint from, MsgType type, byte[] data)
    {
        Assert.Equal((from, type), (message.FromUserId, message.MsgType));
        Assert.Equal(data, message.MsgData.ToByteArray());
    }

    /// <summary>History from the newest and by id both return the message with its duration and voice.</summary>
    private static async Task AssertHistoryAsync(TeamTalkClient client, SessionType sessionType, uint session, uint msgId, uint from, MsgType type, byte[] data)
    {
        var list = await Chat.RequestAsync<IMGetMsgListRsp>(client, CommandKeys.ListRequest, new IMGetMsgListReq
        {
            UserId = 0, SessionType = sessionType, SessionId = session, MsgIdBegin = 0, MsgCnt = 10,
        }, CommandKeys.ListResponse);
        var byId = await Chat.RequestAsync<IMGetMsgByIdRsp>(client, CommandKeys.ByIdRequest, new IMGetMsgByIdReq
        {
            UserId = 0, SessionType = sessionType, SessionId = session, MsgIdList = { msgId },
        }, CommandKeys.ByIdResponse);
        foreach (var info in new[] { Assert.Single(list.MsgList, m => m.MsgId == msgId), Assert.Single(byId.MsgList) })
        {
            Assert.Equal((msgId, from, type), (info.MsgId, info.FromSessionId, info.MsgType));
            Assert.Equal(data, info.MsgData.ToByteArray());
        }
    }

    /// <summary>What a client does with a latest-message text (behaviour.md 1.5).</summary>
    private static string Decrypt(ByteString base64) => ClientText.Decrypt(base64.ToStringUtf8());
}
