using Google.Protobuf;
using MySqlConnector;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>One silo and two gateways, for group tests.</summary>
public sealed class GroupFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle First => Cluster.Gateways[0];

    internal GatewayHandle Second => Cluster.Gateways[1];

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        await Cluster.Database.SeedUsersAsync([.. Enumerable.Range(1, 16).Select(i => $"g{i}")]);
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Groups over real TCP: creation, messages to every member's devices in id order, history from the join time,
/// unread counts and read acks, recent sessions, member changes with their rules and notifies, info, normal list, mute.
/// </summary>
public sealed class GroupTests(GroupFixture fixture) : IClassFixture<GroupFixture>
{
    [Fact]
    public async Task A_created_group_delivers_every_message_in_id_order_to_every_device_of_every_member_but_the_sending_one()
    {
        var (a, b, c, outsider) = (await Id("g1"), await Id("g2"), await Id("g3"), await Id("g4"));
        await using var aPc = await Clients.LoginAsync(fixture.First, "g1", ClientType.Windows);
        await using var aPhone = await Clients.LoginAsync(fixture.Second, "g1", ClientType.Android);
        await using var bPhone = await Clients.LoginAsync(fixture.Second, "g2", ClientType.Ios);
        await using var stranger = await Clients.LoginAsync(fixture.First, "g4", ClientType.Android);

        var created = await CreateAsync(aPc, "team", [c, a, b, a, 0]);
        Assert.Equal((a, 0u, "team"), (created.UserId, created.ResultCode, created.GroupName));
        Assert.True(created.HasGroupId);
        Assert.Equal(new[] { a, b, c }.Order(), created.UserIdList);
        var group = created.GroupId;

        // Three messages from two members; the stranger's is dropped (no ack) and reaches no one.
        var early = new Dictionary<TeamTalkClient, List<ReceivedFrame>> { [aPc] = [], [aPhone] = [], [bPhone] = [] };
        Assert.Equal(1u, (await SendAsync(aPc, group, "one", early[aPc])).MsgId);
        var second = await SendAsync(bPhone, group, "two", early[bPhone]);
        Assert.Equal((b, group, 2u, SessionType.Group), (second.UserId, second.SessionId, second.MsgId, second.SessionType));
        await stranger.SendAsync(CommandKeys.MessageData, Text(group, "let me in"));

        // The stranger's marker: the ack of a 1:1 text it sends next (to a user nobody here is). A connection's messages
        // are handed over and acknowledged one at a time in the order sent, so the group grain has answered the
        // stranger's message, and any ack of it come, before; had it been accepted, it would hold an id below "three".
        var strangerMarker = await Chat.SendTextAsync(stranger, await Id("g16"), "marker");
        await Markers.AssertNoneBeforeAsync(stranger, Markers.Command(CommandKeys.MessageDataAck),
            Markers.Reply(CommandKeys.MessageDataAck, strangerMarker), "the ack of the stranger's 1:1 text");
        Assert.Equal(3u, (await SendAsync(aPc, group, "three", early[aPc])).MsgId);

        // The marker of the devices: message 4, from a's phone. A group delivers in id order, each run once the previous
        // one was handed to the gateways, so a device that gets message 4 has by then got all it was ever to get of 1 to 3
        // (a's PC must not get its own 3 back). a's phone gets no copy of its own 4: its marker is message 3, and what it
        // must not get (the stranger's) would come before that.
        Assert.Equal(4u, (await SendAsync(aPhone, group, "four", early[aPhone])).MsgId);
        var expected = new Dictionary<TeamTalkClient, uint[]> { [aPc] = [2, 4], [aPhone] = [1, 2, 3], [bPhone] = [1, 3, 4] };
        foreach (var (client, ids) in expected)
        {
            var frames = await Markers.UntilAsync(client, Markers.Message(group, ids[^1]), $"message {ids[^1]}", early[client]);
            var pushes = frames.Where(f => f.Command == CommandKeys.MessageData).ToList();
            Assert.Equal(ids, pushes.Select(p => p.Parse<IMMsgData>().MsgId).ToArray());
            Assert.All(pushes, p =>
            {
                var message = p.Parse<IMMsgData>();
                Assert.Equal((0, group, MsgType.GroupText), (p.Header.SeqNum, message.ToSessionId, message.MsgType));
                Assert.Equal(message.MsgId == 2 ? b : a, message.FromUserId);
            });
        }

        // History for members, nothing for others.
        var history = await Chat.RequestAsync<IMGetMsgListRsp>(bPhone, CommandKeys.ListRequest,
            new IMGetMsgListReq { UserId = 0, SessionType = SessionType.Group, SessionId = group, MsgIdBegin = 0, MsgCnt = 10 }, CommandKeys.ListResponse);
        Assert.Equal(["four", "three", "two", "one"], history.MsgList.Select(m => m.MsgData.ToStringUtf8()).ToArray());
        Assert.Equal([a, a, b, a], history.MsgList.Select(m => m.FromSessionId).ToArray());
        var byId = await Chat.RequestAsync<IMGetMsgByIdRsp>(aPhone, CommandKeys.ByIdRequest,
            new IMGetMsgByIdReq { UserId = 0, SessionType = SessionType.Group, SessionId = group, MsgIdList = { 1, 3 } }, CommandKeys.ByIdResponse);
        Assert.Equal([3u, 1u], byId.MsgList.Select(m => m.MsgId).ToArray());
        var latest = await Chat.RequestAsync<IMGetLatestMsgIdRsp>(bPhone, CommandKeys.LatestIdRequest,
            new IMGetLatestMsgIdReq { UserId = 0, SessionType = SessionType.Group, SessionId = group }, CommandKeys.LatestIdResponse);
        Assert.Equal(4u, latest.LatestMsgId);
        var hidden = await Chat.RequestAsync<IMGetMsgListRsp>(stranger, CommandKeys.ListRequest,
            new IMGetMsgListReq { UserId = 0, SessionType = SessionType.Group, SessionId = group, MsgIdBegin = 0, MsgCnt = 10 }, CommandKeys.ListResponse);
        Assert.Empty(hidden.MsgList);
        var hiddenLatest = await Chat.RequestAsync<IMGetLatestMsgIdRsp>(stranger, CommandKeys.LatestIdRequest,
            new IMGetLatestMsgIdReq { UserId = 0, SessionType = SessionType.Group, SessionId = group }, CommandKeys.LatestIdResponse);
        Assert.Equal(0u, hiddenLatest.LatestMsgId);
        Assert.Equal(outsider, hiddenLatest.UserId);

        // The offline member finds the group among its unread sessions and recent sessions; a read ack counts.
        await using var cPc = await Clients.LoginAsync(fixture.First, "g3", ClientType.Mac);
        await using var cPhone = await Clients.LoginAsync(fixture.Second, "g3", ClientType.Android);
        var unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(cPc, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        var info = Assert.Single(unread.UnreadinfoList);
        Assert.Equal((group, SessionType.Group, 4u, 4u, a, "four"), (info.SessionId, info.SessionType, info.UnreadCnt, info.LatestMsgId, info.LatestMsgFromUserId, info.LatestMsgData.ToStringUtf8()));
        Assert.Equal(4u, unread.TotalCnt);

        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), async () =>
        {
            var recent = await Chat.RequestAsync<IMRecentContactSessionRsp>(cPc, CommandKeys.RecentSessionRequest,
                new IMRecentContactSessionReq { UserId = 0, LatestUpdateTime = 0 }, CommandKeys.RecentSessionResponse);
            return recent.ContactSessionList.Any(s => s.SessionId == group && s.SessionType == SessionType.Group && s.LatestMsgId == 4 && s.LatestMsgFromUserId == a);
        }, "the group among the offline member's recent sessions");

        await cPc.SendAsync(CommandKeys.ReadAck, new IMMsgDataReadAck { UserId = 0, SessionId = group, MsgId = 2, SessionType = SessionType.Group });
        var notify = await cPhone.ReceiveAsync(CommandKeys.ReadNotify, Clients.Reply);
        Assert.NotNull(notify);
        Assert.Equal((await Id("g3"), group, 2u, SessionType.Group), Tuple(notify.Parse<IMMsgDataReadNotify>()));
        unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(cPhone, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        Assert.Equal(2u, Assert.Single(unread.UnreadinfoList).UnreadCnt);

        // A member who sent has read everything up to its message.
        unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(aPc, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        Assert.Empty(unread.UnreadinfoList);

        // Removing the group session clears its unread messages.
        var removed = await Chat.RequestAsync<IMRemoveSessionRsp>(cPc, CommandKeys.RemoveSessionRequest,
            new IMRemoveSessionReq { UserId = 0, SessionType = SessionType.Group, SessionId = group }, CommandKeys.RemoveSessionResponse);
        Assert.Equal(0u, removed.ResultCode);
        Assert.NotNull(await cPhone.ReceiveAsync(CommandKeys.RemoveSessionNotify, Clients.Reply));
        unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(cPc, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        Assert.Empty(unread.UnreadinfoList);

        var rows = await ScalarAsync($"SELECT COUNT(*) FROM IMGroupMessage_{group % 8} WHERE groupId = {group}");
        Assert.Equal(4L, rows);
    }

    [Fact]
    public async Task Creation_refuses_bad_requests_with_a_result_code_and_drops_normal_groups()
    {
        var (a, b) = (await Id("g5"), await Id("g6"));
        await using var client = await Clients.LoginAsync(fixture.First, "g5", ClientType.Android);

        Assert.Equal(1u, (await CreateAsync(client, string.Empty, [a, b])).ResultCode);
        Assert.Equal(1u, (await CreateAsync(client, "nobody", [])).ResultCode);
        var unknown = await CreateAsync(client, "ghosts", [a, 4_000_000_000]);
        Assert.Equal(1u, unknown.ResultCode);
        Assert.False(unknown.HasGroupId);
        Assert.Equal([a, 4_000_000_000u], unknown.UserIdList);
        Assert.Equal(1u, (await CreateAsync(client, new string('x', 257), [a, b])).ResultCode);

        await client.SendAsync(CommandKeys.GroupCreateRequest, new IMGroupCreateReq { UserId = 0, GroupType = GroupType.Normal, GroupName = "normal", GroupAvatar = string.Empty, MemberIdList = { a, b } });
        await Markers.AssertNoneBeforeRoundTripAsync(client, Markers.Command(CommandKeys.GroupCreateResponse), "a normal group's creation");
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM IMGroup WHERE name IN ('', 'nobody', 'ghosts', 'normal')"));
    }

    [Fact]
    public async Task Members_change_by_the_rules_each_affected_user_is_notified_once_and_new_members_read_from_their_join()
    {
        var (owner, member, guest, late, outsider) = (await Id("g7"), await Id("g8"), await Id("g9"), await Id("g10"), await Id("g11"));
        await using var ownerPc = await Clients.LoginAsync(fixture.First, "g7", ClientType.Windows);
        await using var ownerPhone = await Clients.LoginAsync(fixture.Second, "g7", ClientType.Android);
        await using var memberPc = await Clients.LoginAsync(fixture.Second, "g8", ClientType.Mac);
        await using var guestPc = await Clients.LoginAsync(fixture.First, "g9", ClientType.Windows);
        await using var lateClient = await Clients.LoginAsync(fixture.First, "g10", ClientType.Android);
        await using var outsiderClient = await Clients.LoginAsync(fixture.Second, "g11", ClientType.Android);
        var group = (await CreateAsync(ownerPc, "changes", [owner, member])).GroupId;
        Assert.Equal(1u, (await SendAsync(memberPc, group, "before anyone joined")).MsgId);
        var first = (await Markers.UntilAsync(ownerPc, Markers.Message(group, 1), "message 1"))[^1].Parse<IMMsgData>();

        // A non-member may not add people, a member may not remove others, the creator may not remove no one.
        Assert.Equal(1u, (await ChangeAsync(outsiderClient, group, GroupModifyType.Add, [outsider])).ResultCode);
        Assert.Equal(1u, (await ChangeAsync(memberPc, group, GroupModifyType.Del, [owner])).ResultCode);

        // A member adds a guest: everyone concerned hears it once, the requesting connection only through the reply.
        // The join time is in seconds: message 1 must be older than the join, so the server's clock must have left its second.
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), async () =>
            (await Chat.RequestAsync<IMClientTimeRsp>(ownerPc, CommandKeys.TimeRequest, new IMClientTimeReq(), CommandKeys.TimeResponse)).ServerTime > first.CreateTime,
            "the server's clock past the second of message 1");
        var beforeReply = new List<ReceivedFrame>();
        var added = await ChangeAsync(memberPc, group, GroupModifyType.Add, [guest, member, 4_000_000_000], beforeReply);
        Assert.Equal((0u, group), (added.ResultCode, added.GroupId));
        Assert.Equal([owner, member, guest], added.CurUserIdList);
        Assert.Equal([guest], added.ChgUserIdList);

        // The group grain answers a change only after its notifies were handed to the gateways, and the requesting
        // connection's notify would come before the reply; so a round trip on a connection after the reply is a marker.
        foreach (var client in new[] { ownerPc, ownerPhone, guestPc })
        {
            var frames = await Markers.AssertNoneBeforeRoundTripAsync(client, _ => false, "the member change");
            var notifies = frames.Where(f => f.Command == CommandKeys.GroupChangeMemberNotify).ToList();
            var notify = Assert.Single(notifies).Parse<IMGroupChangeMemberNotify>();
            Assert.Equal((member, GroupModifyType.Add, group), (notify.UserId, notify.ChangeType, notify.GroupId));
            Assert.Equal([owner, member, guest], notify.CurUserIdList);
            Assert.Equal([guest], notify.ChgUserIdList);
        }

        Assert.DoesNotContain(beforeReply, f => f.Command == CommandKeys.GroupChangeMemberNotify);
        await Markers.AssertNoneBeforeRoundTripAsync(outsiderClient, Markers.Command(CommandKeys.GroupChangeMemberNotify), "the member change");

        // The guest reads from its join on and has nothing unread yet; then gets the next message.
        var guestHistory = await Chat.RequestAsync<IMGetMsgListRsp>(guestPc, CommandKeys.ListRequest,
            new IMGetMsgListReq { UserId = 0, SessionType = SessionType.Group, SessionId = group, MsgIdBegin = 0, MsgCnt = 10 }, CommandKeys.ListResponse);
        Assert.Empty(guestHistory.MsgList);
        var unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(guestPc, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
        Assert.Empty(unread.UnreadinfoList);
        Assert.Equal(2u, (await SendAsync(ownerPc, group, "welcome")).MsgId);
        var welcome = await guestPc.ReceiveAsync(CommandKeys.MessageData, Clients.Reply);
        Assert.NotNull(welcome);
        Assert.Equal("welcome", welcome.Parse<IMMsgData>().MsgData.ToStringUtf8());

        // The guest leaves; it no longer sends, receives or reads, and the others hear of it.
        var left = await ChangeAsync(guestPc, group, GroupModifyType.Del, [guest]);
        Assert.Equal(0u, left.ResultCode);
        Assert.Equal([owner, member], left.CurUserIdList);
        var leaveNotify = await ownerPhone.ReceiveAsync(CommandKeys.GroupChangeMemberNotify, Clients.Reply);
        Assert.NotNull(leaveNotify);
        Assert.Equal([guest], leaveNotify.Parse<IMGroupChangeMemberNotify>().ChgUserIdList);
        await guestPc.SendAsync(CommandKeys.MessageData, Text(group, "still here?"));
        var guestMarker = await Chat.SendTextAsync(guestPc, await Id("g16"), "marker"); // acknowledged after any ack of the message before
        await Markers.AssertNoneBeforeAsync(guestPc, Markers.Command(CommandKeys.MessageDataAck),
            Markers.Reply(CommandKeys.MessageDataAck, guestMarker), "the ack of the guest's 1:1 text");
        Assert.Equal(3u, (await SendAsync(ownerPc, group, "bye")).MsgId);

        // Message 4 is sent once the member got 3, so it goes in a later run than 3, which starts only after every
        // delivery of 3 ended; when the owner gets 4, anything of 3 for the guest was queued, and a round trip on the
        // guest's connection comes after it.
        await Markers.UntilAsync(memberPc, Markers.Message(group, 3), "message 3");
        Assert.Equal(4u, (await SendAsync(memberPc, group, "after bye")).MsgId);
        await Markers.UntilAsync(ownerPc, Markers.Message(group, 4), "message 4");
        await Markers.AssertNoneBeforeRoundTripAsync(guestPc, Markers.Command(CommandKeys.MessageData), "message 4 reached the owner");

        // The creator adds a late member, then removes the member; the version counts every change.
        Assert.Equal(0u, (await ChangeAsync(ownerPc, group, GroupModifyType.Add, [late])).ResultCode);
        var removed = await ChangeAsync(ownerPc, group, GroupModifyType.Del, [member]);
        Assert.Equal([owner, late], removed.CurUserIdList);
        var info = await Chat.RequestAsync<IMGroupInfoListRsp>(lateClient, CommandKeys.GroupInfoRequest,
            new IMGroupInfoListReq { UserId = 0, GroupVersionList = { new GroupVersionInfo { GroupId = group, Version = 0 } } }, CommandKeys.GroupInfoResponse);
        var entry = Assert.Single(info.GroupInfoList);
        Assert.Equal((5u, owner, GroupType.Tmp), (entry.Version, entry.GroupCreatorId, entry.GroupType));
        Assert.Equal([owner, late], entry.GroupMemberList);
        Assert.Equal(2L, await ScalarAsync($"SELECT userCnt FROM IMGroup WHERE id = {group}"));
    }

    [Fact]
    public async Task Info_goes_to_members_when_newer_the_normal_list_holds_normal_groups_and_members_may_mute()
    {
        var (a, b, c) = (await Id("g12"), await Id("g13"), await Id("g14"));
        await using var aClient = await Clients.LoginAsync(fixture.First, "g12", ClientType.Android);
        await using var cClient = await Clients.LoginAsync(fixture.Second, "g14", ClientType.Android);
        var temporary = (await CreateAsync(aClient, "temporary", [a, b])).GroupId;
        var normal = await NormalGroupAsync("back-office", a, [a, c]);

        var info = await Chat.RequestAsync<IMGroupInfoListRsp>(aClient, CommandKeys.GroupInfoRequest, new IMGroupInfoListReq
        {
            UserId = 0,
            GroupVersionList = { new GroupVersionInfo { GroupId = temporary, Version = 0 }, new GroupVersionInfo { GroupId = normal, Version = 1 }, new GroupVersionInfo { GroupId = 4_000_000_000, Version = 0 } },
        }, CommandKeys.GroupInfoResponse);
        var only = Assert.Single(info.GroupInfoList); // the normal group is at version 1 already; the unknown one is left out
        Assert.Equal((temporary, 1u, "temporary", a, GroupType.Tmp, 0u), (only.GroupId, only.Version, only.GroupName, only.GroupCreatorId, only.GroupType, only.ShieldStatus));
        Assert.Equal([a, b], only.GroupMemberList);
        var notForOthers = await Chat.RequestAsync<IMGroupInfoListRsp>(cClient, CommandKeys.GroupInfoRequest,
            new IMGroupInfoListReq { UserId = 0, GroupVersionList = { new GroupVersionInfo { GroupId = temporary, Version = 0 } } }, CommandKeys.GroupInfoResponse);
        Assert.Empty(notForOthers.GroupInfoList);

        var list = await Chat.RequestAsync<IMNormalGroupListRsp>(cClient, CommandKeys.GroupNormalListRequest, new IMNormalGroupListReq { UserId = 0 }, CommandKeys.GroupNormalListResponse);
        Assert.Equal((c, normal, 1u), (list.UserId, Assert.Single(list.GroupVersionList).GroupId, list.GroupVersionList[0].Version));
        list = await Chat.RequestAsync<IMNormalGroupListRsp>(aClient, CommandKeys.GroupNormalListRequest, new IMNormalGroupListReq { UserId = 0 }, CommandKeys.GroupNormalListResponse);
        Assert.Equal([normal], list.GroupVersionList.Select(g => g.GroupId));

        // In a normal group only the creator adds members.
        Assert.Equal(1u, (await ChangeAsync(cClient, normal, GroupModifyType.Add, [b])).ResultCode);

        var shield = await Chat.RequestAsync<IMGroupShieldRsp>(cClient, CommandKeys.GroupShieldRequest, new IMGroupShieldReq { UserId = 0, GroupId = normal, ShieldStatus = 1 }, CommandKeys.GroupShieldResponse);
        Assert.Equal((c, normal, 0u), (shield.UserId, shield.GroupId, shield.ResultCode));
        var notMember = await Chat.RequestAsync<IMGroupShieldRsp>(cClient, CommandKeys.GroupShieldRequest, new IMGroupShieldReq { UserId = 0, GroupId = temporary, ShieldStatus = 1 }, CommandKeys.GroupShieldResponse);
        Assert.Equal(1u, notMember.ResultCode);
        await cClient.SendAsync(CommandKeys.GroupShieldRequest, new IMGroupShieldReq { UserId = 0, GroupId = 4_000_000_000, ShieldStatus = 1 });
        await Markers.AssertNoneBeforeRoundTripAsync(cClient, Markers.Command(CommandKeys.GroupShieldResponse), "the shield of a group that does not exist");
        info = await Chat.RequestAsync<IMGroupInfoListRsp>(cClient, CommandKeys.GroupInfoRequest,
            new IMGroupInfoListReq { UserId = 0, GroupVersionList = { new GroupVersionInfo { GroupId = normal, Version = 0 } } }, CommandKeys.GroupInfoResponse);
        Assert.Equal(1u, Assert.Single(info.GroupInfoList).ShieldStatus);
        Assert.Equal(1L, await ScalarAsync($"SELECT shieldStatus FROM TeamTalkGroupShield WHERE groupId = {normal} AND userId = {c}"));

        // A change to a group that does not exist gets no reply.
        await cClient.SendAsync(CommandKeys.GroupChangeMemberRequest, new IMGroupChangeMemberReq { UserId = 0, ChangeType = GroupModifyType.Add, GroupId = 4_000_000_000, MemberIdList = { c } });
        await Markers.AssertNoneBeforeRoundTripAsync(cClient, Markers.Command(CommandKeys.GroupChangeMemberResponse), "a change of a group that does not exist");
    }

    private static IMMsgData Text(uint group, string text) => new()
    {
        FromUserId = 0,
        ToSessionId = group,
        MsgId = 0,
        CreateTime = 0,
        MsgType = MsgType.GroupText,
        MsgData = ByteString.CopyFromUtf8(text),
    };

    private static (uint, uint, uint, SessionType) Tuple(IMMsgDataReadNotify n) => (n.UserId, n.SessionId, n.MsgId, n.SessionType);

    /// <summary>Sends a group text and waits for its ack; frames that arrive before it go to <paramref name="before"/>.</summary>
    private static async Task<IMMsgDataAck> SendAsync(TeamTalkClient client, uint group, string text, List<ReceivedFrame>? before = null)
    {
        var seq = await client.SendAsync(CommandKeys.MessageData, Text(group, text));
        var deadline = DateTime.UtcNow + Clients.Reply;
        while (DateTime.UtcNow < deadline)
        {
            var frame = await client.ReceiveAsync(deadline - DateTime.UtcNow);
            Assert.NotNull(frame);
            if (frame.Command == CommandKeys.MessageDataAck)
            {
                Assert.Equal(seq, frame.Header.SeqNum);
                return frame.Parse<IMMsgDataAck>();
            }

            before?.Add(frame);
        }

        throw new TimeoutException("no ack");
    }

    private static Task<IMGroupCreateRsp> CreateAsync(TeamTalkClient client, string name, uint[] members) =>
        Chat.RequestAsync<IMGroupCreateRsp>(client, CommandKeys.GroupCreateRequest, new IMGroupCreateReq
        {
            UserId = 0,
            GroupType = GroupType.Tmp,
            GroupName = name,
            GroupAvatar = string.Empty,
            MemberIdList = { members },
        }, CommandKeys.GroupCreateResponse);

    private static Task<IMGroupChangeMemberRsp> ChangeAsync(TeamTalkClient client, uint group, GroupModifyType type, uint[] members, List<ReceivedFrame>? before = null) =>
        Chat.RequestAsync<IMGroupChangeMemberRsp>(client, CommandKeys.GroupChangeMemberRequest, new IMGroupChangeMemberReq
        {
            UserId = 0,
            ChangeType = type,
            GroupId = group,
            MemberIdList = { members },
        }, CommandKeys.GroupChangeMemberResponse, before);

    /// <summary>A normal group as the back-office makes one: rows in IMGroup and IMGroupMember only.</summary>
    private async Task<uint> NormalGroupAsync(string name, uint creator, uint[] members)
    {
        await using var connection = new MySqlConnection(fixture.Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new MySqlCommand(
            "INSERT INTO IMGroup (name, avatar, creator, type, userCnt, status, version, lastChated, updated, created) VALUES (@n, '', @c, 1, @count, 0, 1, 0, 100, 100)", connection);
        insert.Parameters.AddWithValue("@n", name);
        insert.Parameters.AddWithValue("@c", creator);
        insert.Parameters.AddWithValue("@count", members.Length);
        await insert.ExecuteNonQueryAsync();
        var id = (uint)insert.LastInsertedId;
        foreach (var member in members)
        {
            await using var row = new MySqlCommand("INSERT INTO IMGroupMember (groupId, userId, status, created, updated) VALUES (@g, @u, 0, 100, 100)", connection);
            row.Parameters.AddWithValue("@g", id);
            row.Parameters.AddWithValue("@u", member);
            await row.ExecuteNonQueryAsync();
        }

        return id;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(fixture.Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<uint> Id(string name) => fixture.Cluster.Database.UserIdAsync(name);
}
