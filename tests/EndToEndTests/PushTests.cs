using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using MySqlConnector;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Login;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.PushFake;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// A silo process whose APNs and FCM providers point at loopback fakes started by the test (they check the path, the
/// headers, the JWT / OAuth assertion signed with their own keys, and the JSON payload), and one gateway.
/// </summary>
public sealed class PushFixture : IAsyncLifetime
{
    public static readonly string[] Users = ["pu_sender", "pu_ios", "pu_android", "pu_gone_ios", "pu_gone_android", "pu_slow", "pu_slow_sender"];

    private readonly string directory = Path.Combine(Path.GetTempPath(), $"tt-push-e2e-{Guid.NewGuid():N}");

    internal FakePushServer Fake { get; private set; } = null!;

    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    public async Task InitializeAsync()
    {
        Fake = await FakePushServer.StartAsync(directory);
        Cluster = await TestCluster.CreateAsync();
        foreach (var (key, value) in Fake.SiloSettings())
        {
            Cluster.SiloSettings[key] = value;
        }

        Cluster.SiloSettings["TeamTalk:Push:AesKey"] = ClientText.Key;
        Cluster.SiloSettings["TeamTalk:Push:Apns:RetryDelay"] = "00:00:00.050";
        Cluster.SiloSettings["TeamTalk:Push:Fcm:RetryDelay"] = "00:00:00.050";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:02:00";
        await Cluster.Database.SeedUsersAsync(Users);
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Fake.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>
/// Push notifications end to end (issue 14): phones register their tokens with the real client command and drop their
/// connections; another user's messages reach the fake APNs and FCM with the original's text and badge; tokens the
/// provider calls invalid leave MySQL; a push server that does not answer holds up no ack.
/// </summary>
public sealed class PushTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private FakePushServer Fake => fixture.Fake;

    [Fact]
    public async Task Offline_phones_get_1to1_and_group_text_image_and_voice_with_the_senders_nick_and_their_unread_total_and_the_sender_gets_none()
    {
        var (sender, ios, android) = (await Id("pu_sender"), await Id("pu_ios"), await Id("pu_android"));
        var (iosToken, androidToken, senderToken) = ("ios-" + Guid.NewGuid().ToString("N"), "android-" + Guid.NewGuid().ToString("N"), "sender-" + Guid.NewGuid().ToString("N"));
        await RegisterAndLeaveAsync("pu_ios", ClientType.Ios, iosToken, ios);
        await RegisterAndLeaveAsync("pu_android", ClientType.Android, androidToken, android);
        await RegisterAndLeaveAsync("pu_sender", ClientType.Android, senderToken, sender);
        await using var pc = await Clients.LoginAsync(fixture.Gateway, "pu_sender");
        await WaitOfflineAsync(pc, ios, android);

        // 1:1 text to the iPhone: nick and the decrypted text, badge 1.
        await SendAsync(pc, ios, MsgType.SingleText, ClientText.Encrypt("hello phone"));
        var text = Single(await PushesAsync(iosToken, 1));
        Assert.Equal("apns", text.Provider);
        var aps = text.Body.GetProperty("aps");
        Assert.Equal(("PU_SENDER:hello phone", 1, "default"), (aps.GetProperty("alert").GetString(), aps.GetProperty("badge").GetInt32(), aps.GetProperty("sound").GetString()));
        Assert.Equal(((int)MsgType.SingleText, (long)sender), (text.Body.GetProperty("msg_type").GetInt32(), text.Body.GetProperty("from_id").GetInt64()));
        Assert.False(text.Body.TryGetProperty("group_id", out _));

        // 1:1 image to the Android phone: the placeholder.
        await SendAsync(pc, android, MsgType.SingleText, ClientText.Encrypt(ClientText.Image("http://msfs/g0/000/000/1.png")));
        var image = Single(await PushesAsync(androidToken, 1));
        Assert.Equal("fcm", image.Provider);
        Assert.Equal("PU_SENDER:[图片]", image.Body.GetProperty("notification").GetProperty("body").GetString());
        var data = image.Body.GetProperty("data");
        Assert.Equal(("1", "1", sender.ToString(System.Globalization.CultureInfo.InvariantCulture)), (data.GetProperty("badge").GetString(), data.GetProperty("msg_type").GetString(), data.GetProperty("from_id").GetString()));
        Assert.Equal("high", image.Body.GetProperty("android").GetProperty("priority").GetString());

        // 1:1 voice to the iPhone: the placeholder; its unread total is now 2.
        await SendAsync(pc, ios, MsgType.SingleAudio, VoiceClip(3));
        var voice = (await PushesAsync(iosToken, 2))[1];
        Assert.Equal(("PU_SENDER:[语音]", 2), (voice.Body.GetProperty("aps").GetProperty("alert").GetString(), voice.Body.GetProperty("aps").GetProperty("badge").GetInt32()));
        Assert.Equal((int)MsgType.SingleAudio, voice.Body.GetProperty("msg_type").GetInt32());

        // A group text: both phones, with the group; the sender's own phone gets none.
        var group = (await Chat.RequestAsync<IMGroupCreateRsp>(pc, CommandKeys.GroupCreateRequest, new IMGroupCreateReq
        {
            UserId = 0, GroupType = GroupType.Tmp, GroupName = "pushed", GroupAvatar = string.Empty, MemberIdList = { sender, ios, android },
        }, CommandKeys.GroupCreateResponse)).GroupId;
        await SendAsync(pc, group, MsgType.GroupText, ClientText.Encrypt("hi all"));
        var groupIos = (await PushesAsync(iosToken, 3))[2].Body;
        var groupAndroid = (await PushesAsync(androidToken, 2))[1].Body;
        Assert.Equal(("PU_SENDER:hi all", 3, (long)group, (int)MsgType.GroupText),
            (groupIos.GetProperty("aps").GetProperty("alert").GetString(), groupIos.GetProperty("aps").GetProperty("badge").GetInt32(), groupIos.GetProperty("group_id").GetInt64(), groupIos.GetProperty("msg_type").GetInt32()));
        var groupData = groupAndroid.GetProperty("data");
        Assert.Equal(("PU_SENDER:hi all", "2", group.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (groupAndroid.GetProperty("notification").GetProperty("body").GetString(), groupData.GetProperty("badge").GetString(), groupData.GetProperty("group_id").GetString()));

        // The receivers' pushes of the group message came from the same decision as the sender's would have.
        Assert.DoesNotContain(Fake.Accepted, p => p.Token == senderToken);
        Assert.Empty(Fake.Refusals);
    }

    [Fact]
    public async Task Tokens_that_APNs_calls_unregistered_and_FCM_calls_UNREGISTERED_are_removed_from_MySQL()
    {
        var (sender, ios, android) = (await Id("pu_sender"), await Id("pu_gone_ios"), await Id("pu_gone_android"));
        var (iosToken, androidToken) = ("gone-ios-" + Guid.NewGuid().ToString("N"), "gone-android-" + Guid.NewGuid().ToString("N"));
        await RegisterAndLeaveAsync("pu_gone_ios", ClientType.Ios, iosToken, ios);
        await RegisterAndLeaveAsync("pu_gone_android", ClientType.Android, androidToken, android);
        Assert.Equal((ios, (uint)ClientType.Ios), await StoredAsync(iosToken));
        Assert.Equal((android, (uint)ClientType.Android), await StoredAsync(androidToken));
        await using var pc = await Clients.LoginAsync(fixture.Gateway, "pu_sender");
        await WaitOfflineAsync(pc, ios, android);

        await SendAsync(pc, ios, MsgType.SingleText, ClientText.Encrypt("are you there"));
        await SendAsync(pc, android, MsgType.SingleText, ClientText.Encrypt("are you there"));

        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), async () => await StoredAsync(iosToken) is null && await StoredAsync(androidToken) is null, "the invalid tokens' removal");
        Assert.Contains(("apns", iosToken), Fake.Invalidated);
        Assert.Contains(("fcm", androidToken), Fake.Invalidated);
        Assert.DoesNotContain(Fake.Accepted, p => p.Token == iosToken || p.Token == androidToken);
        Assert.NotEqual(0u, sender);
        Assert.Empty(Fake.Refusals);
    }

    [Fact]
    public async Task A_push_server_that_does_not_answer_holds_up_no_ack()
    {
        var phone = await Id("pu_slow");
        var token = "slow-" + Guid.NewGuid().ToString("N");
        await RegisterAndLeaveAsync("pu_slow", ClientType.Ios, token, phone);
        await using var pc = await Clients.LoginAsync(fixture.Gateway, "pu_slow_sender");
        await WaitOfflineAsync(pc, phone);

        await SendAsync(pc, phone, MsgType.SingleText, ClientText.Encrypt("first"));
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(15), () => Task.FromResult(Fake.Stats.Held >= 1), "the first push reaching the fake, which holds it");

        // While the push server sits on the first push, the next message is acked at once.
        var watch = Stopwatch.StartNew();
        await SendAsync(pc, phone, MsgType.SingleText, ClientText.Encrypt("second"));
        var ackLatency = watch.Elapsed;
        Assert.True(Fake.Stats.Held >= 1, "the push server answered before the ack arrived: the test proves nothing");
        Assert.DoesNotContain(Fake.Accepted, p => p.Token == token);
        Assert.True(ackLatency < TimeSpan.FromSeconds(5), $"ack after {ackLatency} while the push server held a push");

        // Once it answers, both pushes are delivered.
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), () =>
        {
            Fake.ReleaseSlow();
            return Task.FromResult(Fake.Accepted.Count(p => p.Token == token) == 2);
        }, "both pushes after the push server answered");
        Assert.Equal(["PU_SLOW_SENDER:first", "PU_SLOW_SENDER:second"], Fake.Accepted.Where(p => p.Token == token).Select(p => p.Body.GetProperty("aps").GetProperty("alert").GetString() ?? string.Empty).Order());
        Assert.Empty(Fake.Refusals);
    }

    private static FakePush Single(List<FakePush> pushes) => Assert.Single(pushes);

    /// <summary>The 4-byte big-endian duration followed by voice bytes.</summary>
    private static byte[] VoiceClip(uint seconds)
    {
        var data = new byte[4 + 2000];
        BinaryPrimitives.WriteUInt32BigEndian(data, seconds);
        RandomNumberGenerator.Fill(data.AsSpan(4));
        return data;
    }

    /// <summary>Sends a message (text already encrypted as a client does) and waits for its ack.</summary>
    private static async Task SendAsync(TeamTalkClient client, uint to, MsgType type, string text) =>
        await SendAsync(client, to, type, System.Text.Encoding.ASCII.GetBytes(text));

    private static async Task SendAsync(TeamTalkClient client, uint to, MsgType type, byte[] data)
    {
        var seq = await client.SendAsync(CommandKeys.MessageData, new IMMsgData
        {
            FromUserId = 0, ToSessionId = to, MsgId = 0, CreateTime = 0, MsgType = type, MsgData = ByteString.CopyFrom(data),
        });
        var frames = await Markers.UntilAsync(client, Markers.Reply(CommandKeys.MessageDataAck, seq), "the message's ack");
        Assert.True(frames[^1].Parse<IMMsgDataAck>().MsgId > 0);
    }

    /// <summary>A phone logs in, registers its token with CID_LOGIN_REQ_DEVICETOKEN, and drops its connection (no logout: that would clear the token).</summary>
    private async Task RegisterAndLeaveAsync(string user, ClientType type, string token, uint userId)
    {
        await using var phone = await Clients.LoginAsync(fixture.Gateway, user, type);
        var seq = await phone.SendAsync(CommandKeys.DeviceTokenRequest, new IMDeviceTokenReq { UserId = 0, DeviceToken = token, ClientType = type });
        var reply = await phone.ReceiveAsync(CommandKeys.DeviceTokenResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal((seq, userId), (reply.Header.SeqNum, reply.Parse<IMDeviceTokenRsp>().UserId));
    }

    /// <summary>Waits until the cluster reports every user offline (the gateway tells the user grain of a dropped connection after the close).</summary>
    private static async Task WaitOfflineAsync(TeamTalkClient client, params uint[] users) =>
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(15), async () =>
        {
            var request = new IMUsersStatReq { UserId = 0 };
            request.UserIdList.AddRange(users);
            var status = await Chat.RequestAsync<IMUsersStatRsp>(client, CommandKeys.UsersStatusRequest, request, CommandKeys.UsersStatusResponse);
            return status.UserStatList.Count == users.Length && status.UserStatList.All(s => s.Status == UserStatType.UserStatusOffline);
        }, "the phones' users offline");

    /// <summary>The pushes accepted for <paramref name="token"/> once at least <paramref name="count"/> arrived, in arrival order.</summary>
    private Task<List<FakePush>> PushesAsync(string token, int count) =>
        Eventually.ValueAsync(() => Task.FromResult(Fake.Accepted.Where(p => p.Token == token).ToList()), l => l.Count >= count, $"{count} push(es) to {token}");

    private async Task<(uint UserId, uint ClientType)?> StoredAsync(string token)
    {
        await using var connection = new MySqlConnection(fixture.Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new MySqlCommand("SELECT userId, clientType FROM TeamTalkDeviceToken WHERE token = @t", connection);
        query.Parameters.AddWithValue("@t", token);
        await using var reader = await query.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetUInt32(0), reader.GetUInt32(1)) : null;
    }

    private Task<uint> Id(string name) => fixture.Cluster.Database.UserIdAsync(name);
}
