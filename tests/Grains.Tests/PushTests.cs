using System.Globalization;
using System.Text;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Push;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// Who gets a push for a committed message and what it says (behaviour.md 3.9), through the silo's push service and a
/// recording provider per device type. "Nothing for X" is proven with a marker: the service decides and sends in
/// order, so once a later message's push arrived, the earlier one's decision is done.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PushTests(ClusterFixture cluster)
{
    [Fact]
    public async Task An_offline_receiver_gets_the_senders_nick_and_the_decrypted_text_with_its_unread_total()
    {
        var users = await cluster.NewUsersAsync(2);
        var token = await TokenAsync(users[1], DeviceType.Ios);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);

        await SendTextAsync(sender, users[1], "hello there");
        var first = await cluster.Apns.WaitForAsync(n => n.Token == token);
        await SendTextAsync(sender, users[1], "second");
        var second = await cluster.Apns.WaitForAsync(n => n.Token == token && n.Badge == 2);

        Assert.Equal(await NickAsync(users[0]) + ":hello there", first.Alert);
        Assert.Equal(1u, first.Badge);
        Assert.Equal((users[1], users[0], 0u, MessageType.SingleText), (first.UserId, first.FromUserId, first.GroupId, first.MsgType));
        Assert.Equal(await NickAsync(users[0]) + ":second", second.Alert);
    }

    [Fact]
    public async Task The_badge_is_the_unread_total_of_1_to_1_and_group_sessions_as_the_session_lists_them()
    {
        var users = await cluster.NewUsersAsync(4);
        var token = await TokenAsync(users[3], DeviceType.Ios);
        var group = await cluster.CreateGroupAsync(users[0], users);
        var first = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        var second = await cluster.GatewayA.LoginAsync(users[1], DeviceType.Windows);

        // Unread for users[3]: two from users[0], one from users[1], two group messages.
        await SendTextAsync(first, users[3], "one");
        await SendTextAsync(first, users[3], "two");
        await SendTextAsync(second, users[3], "three");
        await cluster.SendToGroupAsync(first, group, Encoding.ASCII.GetString(TestCipher.Encrypt("g1")));
        await cluster.SendToGroupAsync(second, group, Encoding.ASCII.GetString(TestCipher.Encrypt("g2")));
        var marker = await SendTextAsync(second, users[3], "four");

        // Message ids count per conversation: "two" (users[0]'s second) has the marker's id too, so the sender tells them apart.
        var pushed = await cluster.Apns.WaitForAsync(n => n.Token == token && n.FromUserId == users[1] && n.MsgId == marker.MsgId && n.GroupId == 0);
        var listed = await cluster.Grains.GetSessionGrain(users[3]).GetUnreadAsync();
        Assert.Equal(6u, pushed.Badge);
        Assert.Equal((long)pushed.Badge, listed.Sum(s => (long)s.UnreadCount));
    }

    [Fact]
    public async Task Each_receiver_of_one_group_message_gets_its_own_unread_total_after_what_it_has_read()
    {
        var users = await cluster.NewUsersAsync(4);
        var third = await TokenAsync(users[2], DeviceType.Ios);
        var fourth = await TokenAsync(users[3], DeviceType.Ios);
        var group = await cluster.CreateGroupAsync(users[0], users);
        var first = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        var second = await cluster.GatewayA.LoginAsync(users[1], DeviceType.Windows);
        var nowhere = new ConnectionRef("gw-none", 0);

        // users[3]: three from users[0], the first of them read; users[2]: one from users[1], unread.
        var a1 = await SendTextAsync(first, users[3], "a1");
        await SendTextAsync(first, users[3], "a2");
        await SendTextAsync(first, users[3], "a3");
        await SendTextAsync(second, users[2], "b1");
        await cluster.Grains.GetSessionGrain(users[3]).MarkReadAsync(SessionType.Single, users[0], a1.MsgId, nowhere);

        // Three group lines; users[3] has read the first, users[2] the first two.
        var g1 = await cluster.SendToGroupAsync(first, group, Encoding.ASCII.GetString(TestCipher.Encrypt("g1")));
        var g2 = await cluster.SendToGroupAsync(second, group, Encoding.ASCII.GetString(TestCipher.Encrypt("g2")));
        await cluster.SendToGroupAsync(first, group, Encoding.ASCII.GetString(TestCipher.Encrypt("g3")));
        await cluster.Grains.GetSessionGrain(users[3]).MarkReadAsync(SessionType.Group, group, g1.MsgId, nowhere);
        await cluster.Grains.GetSessionGrain(users[2]).MarkReadAsync(SessionType.Group, group, g2.MsgId, nowhere);

        // One group message pushed to both in one decision: each badge is that receiver's own total.
        var marker = await cluster.SendToGroupAsync(second, group, Encoding.ASCII.GetString(TestCipher.Encrypt("marker")));
        var toThird = await cluster.Apns.WaitForAsync(n => n.Token == third && n.GroupId == group && n.MsgId == marker.MsgId);
        var toFourth = await cluster.Apns.WaitForAsync(n => n.Token == fourth && n.GroupId == group && n.MsgId == marker.MsgId);

        var listedThird = await cluster.Grains.GetSessionGrain(users[2]).GetUnreadAsync();
        var listedFourth = await cluster.Grains.GetSessionGrain(users[3]).GetUnreadAsync();
        Assert.Equal(
            [(users[1], SessionType.Single, 1u), (group, SessionType.Group, 2u)],
            listedThird.Select(s => (s.SessionId, s.SessionType, s.UnreadCount)));
        Assert.Equal(
            [(users[0], SessionType.Single, 2u), (group, SessionType.Group, 3u)],
            listedFourth.Select(s => (s.SessionId, s.SessionType, s.UnreadCount)));
        Assert.Equal(3u, toThird.Badge);
        Assert.Equal(5u, toFourth.Badge);
    }

    [Fact]
    public async Task Images_and_voice_show_placeholders_and_long_texts_are_cut()
    {
        var users = await cluster.NewUsersAsync(2);
        var token = await TokenAsync(users[1], DeviceType.Android);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        var relation = cluster.Grains.GetRelationGrain(users[0], users[1]);

        var sent = new[]
        {
            await SendTextAsync(sender, users[1], "look &$#@~^@[{:http://msfs/img.jpg:}]&$~@#@"),
            await relation.SendAsync(new SendMessage(users[0], users[1], sender.Ref, MessageType.SingleAudio, [0, 0, 0, 3, 1, 2, 3], new AudioClip(BlobName.New().Value, 3, 3))),
            await SendTextAsync(sender, users[1], new string('x', 60)),
        };

        var alerts = new List<string>();
        foreach (var result in sent)
        {
            alerts.Add((await cluster.Fcm.WaitForAsync(n => n.Token == token && n.MsgId == result.MsgId)).Alert);
        }

        var nick = await NickAsync(users[0]);
        Assert.Equal(nick + ":[图片]", alerts[0]);
        Assert.Equal(nick + ":[语音]", alerts[1]);
        var cut = (nick + ":" + new string('x', 60))[..PushText.MaxBytes] + "...";
        Assert.Equal(cut, alerts[2]);
    }

    [Fact]
    public async Task A_user_online_on_a_phone_gets_no_push_and_one_online_only_on_a_pc_does()
    {
        var users = await cluster.NewUsersAsync(3);
        var onPhone = await TokenAsync(users[1], DeviceType.Ios);
        var onPc = await TokenAsync(users[2], DeviceType.Ios);
        await cluster.GatewayA.LoginAsync(users[1], DeviceType.Ios);
        await cluster.GatewayB.LoginAsync(users[2], DeviceType.Mac);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);

        await SendTextAsync(sender, users[1], "to the phone");
        await SendTextAsync(sender, users[2], "to the pc");

        await cluster.Apns.WaitForAsync(n => n.Token == onPc);
        Assert.Empty(cluster.Apns.For(onPhone));

        // The decision asks a token holder's User grain for its connections; the phone's delivery had already answered.
        Assert.Equal(0, cluster.UserCalls.Count(users[1], nameof(IUserGrain.GetConnectionsAsync)));
        Assert.Equal(1, cluster.UserCalls.Count(users[2], nameof(IUserGrain.GetConnectionsAsync)));
    }

    [Fact]
    public async Task A_shielded_user_gets_no_push_in_the_quiet_hours_and_gets_one_once_unshielded()
    {
        // The fixture's quiet hours cover the whole run (QuietHours' own rule, 22:00 to 08:00 across midnight, is unit-tested).
        var users = await cluster.NewUsersAsync(3);
        var shielded = await TokenAsync(users[1], DeviceType.Ios);
        var open = await TokenAsync(users[2], DeviceType.Ios);
        await cluster.Grains.GetDeviceGrain().SetPushShieldAsync(users[1], 1);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);

        await SendTextAsync(sender, users[1], "at night");
        await SendTextAsync(sender, users[2], "marker");
        await cluster.Apns.WaitForAsync(n => n.Token == open);
        Assert.Empty(cluster.Apns.For(shielded));

        await cluster.Grains.GetDeviceGrain().SetPushShieldAsync(users[1], 0);
        await SendTextAsync(sender, users[1], "unshielded");
        var pushed = await cluster.Apns.WaitForAsync(n => n.Token == shielded);
        Assert.Equal(await NickAsync(users[0]) + ":unshielded", pushed.Alert);
        Assert.Equal(2u, pushed.Badge);
    }

    [Fact]
    public async Task In_a_group_the_sender_and_members_who_muted_it_get_none()
    {
        var users = await cluster.NewUsersAsync(4);
        var tokens = new string[4];
        for (var i = 0; i < 4; i++)
        {
            tokens[i] = await TokenAsync(users[i], DeviceType.Android);
        }

        var group = await cluster.CreateGroupAsync(users[0], users);
        Assert.True(await cluster.Grains.GetGroupGrain(group).SetShieldAsync(users[2], 1));
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);

        await cluster.SendToGroupAsync(sender, group, Encoding.ASCII.GetString(TestCipher.Encrypt("hi all")));
        await SendTextAsync(sender, users[3], "marker");

        var got = await cluster.Fcm.WaitForAsync(n => n.Token == tokens[1]);
        await cluster.Fcm.WaitForAsync(n => n.Token == tokens[3] && n.GroupId == 0);
        Assert.Equal((group, MessageType.GroupText, users[0], await NickAsync(users[0]) + ":hi all"), (got.GroupId, got.MsgType, got.FromUserId, got.Alert));
        Assert.Single(cluster.Fcm.For(tokens[3]), n => n.GroupId == group);
        Assert.Empty(cluster.Fcm.For(tokens[0]));
        Assert.Empty(cluster.Fcm.For(tokens[2]));
    }

    [Fact]
    public async Task A_user_with_an_iOS_and_an_Android_token_gets_a_push_on_each()
    {
        var users = await cluster.NewUsersAsync(2);
        var ios = "ios-" + Guid.NewGuid().ToString("N");
        var android = "android-" + Guid.NewGuid().ToString("N");
        // Tokens registered through the protocol replace each other (one phone per user); rows from an imported
        // deployment can hold both.
        foreach (var (token, type) in new[] { (ios, DeviceType.Ios), (android, DeviceType.Android) })
        {
            await cluster.Database.ScalarAsync(
                "INSERT INTO TeamTalkDeviceToken (token, userId, clientType, updated) VALUES (@t, @u, @c, 0)",
                ("@t", token), ("@u", users[1]), ("@c", (uint)type));
        }

        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        await SendTextAsync(sender, users[1], "both");

        var a = await cluster.Apns.WaitForAsync(n => n.Token == ios);
        var f = await cluster.Fcm.WaitForAsync(n => n.Token == android);
        Assert.Equal(a.Alert, f.Alert);
        Assert.Equal((DeviceType.Ios, DeviceType.Android), (a.Device, f.Device));
    }

    [Fact]
    public async Task A_token_the_provider_reports_invalid_is_removed()
    {
        var users = await cluster.NewUsersAsync(3);
        var gone = RecordingPushProvider.GonePrefix + Guid.NewGuid().ToString("N");
        await cluster.Grains.GetDeviceGrain().SetTokenAsync(new DeviceToken(users[1], gone, DeviceType.Ios));
        var marker = await TokenAsync(users[2], DeviceType.Ios);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);

        await SendTextAsync(sender, users[1], "to a phone that is gone");
        await cluster.Apns.WaitForAsync(n => n.Token == gone);
        await SendTextAsync(sender, users[2], "marker");
        await cluster.Apns.WaitForAsync(n => n.Token == marker);

        Assert.Empty(await cluster.Grains.GetDeviceGrain().GetTokensAsync([users[1]]));
        Assert.Equal(0L, Convert.ToInt64(await cluster.Database.ScalarAsync(
            "SELECT COUNT(*) FROM TeamTalkDeviceToken WHERE token = @t", ("@t", gone)), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_push_server_that_does_not_answer_holds_up_no_ack_even_when_the_push_queues_overflow()
    {
        var users = await cluster.NewUsersAsync(2);
        var token = await TokenAsync(users[1], DeviceType.Android);
        var sender = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        cluster.Fcm.Stall();
        try
        {
            await SendTextAsync(sender, users[1], "first");
            await cluster.Fcm.StalledCall.WaitAsync(TestConnection.Timeout);

            // Far more than the push queues hold (100 messages + 10 notifications in the fixture): every one is acked.
            for (var i = 0; i < 300; i++)
            {
                Assert.Equal(SendStatus.Committed, (await SendTextAsync(sender, users[1], "more " + i).WaitAsync(TestConnection.Timeout)).Status);
            }

            Assert.Empty(cluster.Fcm.For(token));
        }
        finally
        {
            cluster.Fcm.Resume();
        }

        // The message after the stall must find room: the decision queue first drains what it held during the stall
        // (otherwise it would be refused like the overflow, and the push awaited below would never come).
        var deadline = DateTime.UtcNow + TestConnection.Timeout;
        while (cluster.PushService.Waiting > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the push decision queue did not drain after the stall");
            await Task.Yield();
        }

        var last = await SendTextAsync(sender, users[1], "after");
        await cluster.Fcm.WaitForAsync(n => n.Token == token && n.MsgId == last.MsgId);
        var pushed = cluster.Fcm.For(token).Length;
        // Those beyond the queues were refused (logged and counted), not held.
        Assert.InRange(pushed, 2, 250);
    }

    private async Task<string> NickAsync(uint userId) =>
        (string)(await cluster.Database.ScalarAsync("SELECT nick FROM IMUser WHERE id = @u", ("@u", userId)))!;

    private async Task<string> TokenAsync(uint userId, DeviceType device)
    {
        var token = device + "-" + Guid.NewGuid().ToString("N");
        await cluster.Grains.GetDeviceGrain().SetTokenAsync(new DeviceToken(userId, token, device));
        return token;
    }

    private Task<SendResult> SendTextAsync(TestConnection from, uint to, string text) =>
        cluster.Grains.GetRelationGrain(from.UserId, to).SendAsync(new SendMessage(from.UserId, to, from.Ref, MessageType.SingleText, TestCipher.Encrypt(text)));
}
