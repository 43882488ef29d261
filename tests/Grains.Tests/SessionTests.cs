using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>The Session grain: unread counts, read positions and their notifications, session removal, recent sessions.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_peers_messages_are_unread_for_the_receiver_only()
    {
        var (a, b) = await TwoUsersAsync();
        var aPc = await cluster.GatewayA.LoginAsync(a, DeviceType.Windows);

        await SendAsync(aPc, b, 3);

        var unread = Assert.Single(await Session(b).GetUnreadAsync());
        Assert.Equal((a, SessionType.Single, 3u, 3u, a), (unread.SessionId, unread.SessionType, unread.UnreadCount, unread.Latest.MsgId, unread.Latest.FromUserId));
        Assert.Empty(await Session(a).GetUnreadAsync());
    }

    [Fact]
    public async Task Group_messages_are_unread_for_the_other_members_until_they_send_or_read()
    {
        var users = await cluster.NewUsersAsync(3);
        var (creator, sender, reader) = (users[0], users[1], users[2]);
        var groupId = await cluster.CreateGroupAsync(creator, users);
        var creatorPc = await cluster.GatewayA.LoginAsync(creator, DeviceType.Windows);
        var senderPc = await cluster.GatewayB.LoginAsync(sender, DeviceType.Windows);
        await cluster.SendToGroupAsync(creatorPc, groupId, "one");
        await cluster.SendToGroupAsync(creatorPc, groupId, "two");

        Assert.Equal(2u, await GroupUnreadAsync(sender, groupId));
        Assert.Equal(2u, await GroupUnreadAsync(reader, groupId));
        Assert.Equal(0u, await GroupUnreadAsync(creator, groupId));

        await cluster.SendToGroupAsync(senderPc, groupId, "three");
        await Session(reader).MarkReadAsync(SessionType.Group, groupId, 1, new ConnectionRef("gw-none", 0));

        Assert.Equal(0u, await GroupUnreadAsync(sender, groupId)); // its own message moved its read position
        Assert.Equal(2u, await GroupUnreadAsync(reader, groupId));
        Assert.Equal(1u, await GroupUnreadAsync(creator, groupId));
    }

    [Fact]
    public async Task Reading_up_to_a_message_leaves_the_later_ones_unread_and_never_moves_back()
    {
        var (a, b) = await TwoUsersAsync();
        var aPc = await cluster.GatewayA.LoginAsync(a, DeviceType.Windows);
        await SendAsync(aPc, b, 5);
        var nowhere = new ConnectionRef("gw-none", 0);

        await Session(b).MarkReadAsync(SessionType.Single, a, 2, nowhere);
        Assert.Equal(3u, await SingleUnreadAsync(b, a));

        await Session(b).MarkReadAsync(SessionType.Single, a, 4, nowhere);
        await Session(b).MarkReadAsync(SessionType.Single, a, 2, nowhere);
        Assert.Equal(1u, await SingleUnreadAsync(b, a));
    }

    [Fact]
    public async Task Reading_past_the_newest_message_stops_at_it()
    {
        var (a, b) = await TwoUsersAsync();
        var aPc = await cluster.GatewayA.LoginAsync(a, DeviceType.Windows);
        await SendAsync(aPc, b, 3);

        await Session(b).MarkReadAsync(SessionType.Single, a, 1000, new ConnectionRef("gw-none", 0));
        Assert.Equal(0u, await SingleUnreadAsync(b, a));

        // Had the position moved to 1000, the next message (id 4) would not count.
        await SendAsync(aPc, b, 1);
        Assert.Equal(1u, await SingleUnreadAsync(b, a));
    }

    [Fact]
    public async Task A_read_is_told_to_the_users_other_connections_but_not_the_reading_one()
    {
        var (aPc, bPc, bMobile) = await TwoUnreadOnTwoDevicesAsync();
        var (a, b) = (aPc.UserId, bPc.UserId);

        await Session(b).MarkReadAsync(SessionType.Single, a, 2, bPc.Ref);

        Assert.Equal(new ReadNotifyPush(b, a, 2, SessionType.Single), await bMobile.NextAsync());
        await cluster.AssertNothingElseAsync(bPc, bMobile, aPc);
    }

    [Fact]
    public async Task A_non_member_reading_a_group_changes_nothing_and_tells_nobody()
    {
        var users = await cluster.NewUsersAsync(3);
        var groupId = await cluster.CreateGroupAsync(users[0], users[0], users[1]);
        var creatorPc = await cluster.GatewayA.LoginAsync(users[0], DeviceType.Windows);
        await cluster.SendToGroupAsync(creatorPc, groupId, "members only");
        var outsiderPc = await cluster.GatewayA.LoginAsync(users[2], DeviceType.Windows);
        var outsiderMobile = await cluster.GatewayB.LoginAsync(users[2], DeviceType.Ios);

        await Session(users[2]).MarkReadAsync(SessionType.Group, groupId, 1, outsiderPc.Ref);

        Assert.Empty(await Session(users[2]).GetUnreadAsync());
        await cluster.AssertNothingElseAsync(outsiderPc, outsiderMobile);
    }

    [Fact]
    public async Task Removing_a_one_to_one_session_clears_its_unread_messages_and_is_told_to_the_other_connections()
    {
        var (aPc, bPc, bMobile) = await TwoUnreadOnTwoDevicesAsync();
        var (a, b) = (aPc.UserId, bPc.UserId);

        Assert.True(await Session(b).RemoveSessionAsync(SessionType.Single, a, bPc.Ref));

        Assert.Equal(new RemoveSessionNotifyPush(b, SessionType.Single, a), await bMobile.NextAsync());
        await cluster.AssertNothingElseAsync(bPc, bMobile);
        Assert.Empty(await Session(b).GetUnreadAsync());
        Assert.DoesNotContain(await Session(b).GetRecentSessionsAsync(0), s => s.SessionId == a);

        // The next message brings the session back.
        await SendAsync(aPc, b, 1);
        Assert.Equal(3u, Assert.Single(await Session(b).GetRecentSessionsAsync(0), s => s.SessionId == a).Latest.MsgId);
    }

    [Fact]
    public async Task Removing_a_group_session_reads_it_up_to_the_newest_message_and_is_told_to_the_other_connections()
    {
        var users = await cluster.NewUsersAsync(2);
        var (creator, member) = (users[0], users[1]);
        var groupId = await cluster.CreateGroupAsync(creator, users);
        var creatorPc = await cluster.GatewayA.LoginAsync(creator, DeviceType.Windows);
        var memberPc = await cluster.GatewayA.LoginAsync(member, DeviceType.Windows);
        var memberMobile = await cluster.GatewayB.LoginAsync(member, DeviceType.Ios);
        for (var i = 0; i < 3; i++)
        {
            await cluster.SendToGroupAsync(creatorPc, groupId, "unread");
        }

        await memberPc.TakeAsync<MessagePush>(3);
        await memberMobile.TakeAsync<MessagePush>(3);
        await cluster.WaitForGroupSessionAsync(member, groupId, cluster.Now);
        Assert.Equal(3u, await GroupUnreadAsync(member, groupId));

        Assert.True(await Session(member).RemoveSessionAsync(SessionType.Group, groupId, memberPc.Ref));

        Assert.Equal(new ReadNotifyPush(member, groupId, 3, SessionType.Group), await memberMobile.NextAsync());
        Assert.Equal(new RemoveSessionNotifyPush(member, SessionType.Group, groupId), await memberMobile.NextAsync());
        await cluster.AssertNothingElseAsync(memberPc, memberMobile);
        Assert.Equal(0u, await GroupUnreadAsync(member, groupId));
    }

    [Fact]
    public async Task Recent_sessions_are_newest_first_with_their_latest_message_and_real_sender_without_a_group_left()
    {
        var users = await cluster.NewUsersAsync(4);
        var (user, a, b, c) = (users[0], users[1], users[2], users[3]);
        var groupId = await cluster.CreateGroupAsync(c, user, c);
        var userPc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        var aPc = await cluster.GatewayA.LoginAsync(a, DeviceType.Windows);
        var cPc = await cluster.GatewayB.LoginAsync(c, DeviceType.Windows);
        var t0 = cluster.Now;
        await SendAsync(aPc, user, 1);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));
        var t1 = cluster.Now;
        await cluster.SendToGroupAsync(cPc, groupId, "from c");
        await cluster.WaitForGroupSessionAsync(user, groupId, t1);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));
        var t2 = cluster.Now;
        await SendAsync(userPc, b, 1);

        var recent = await Session(user).GetRecentSessionsAsync(0);

        Assert.Equal(
            [(b, SessionType.Single, t2, user), (groupId, SessionType.Group, t1, c), (a, SessionType.Single, t0, a)],
            recent.Select(s => (s.SessionId, s.SessionType, s.Updated, s.Latest.FromUserId)));
        Assert.Equal([(b, SessionType.Single)], (await Session(user).GetRecentSessionsAsync(t1)).Select(s => (s.SessionId, s.SessionType)));

        await cluster.Grains.GetGroupGrain(groupId).ChangeMembersAsync(new GroupChange(user, userPc.Ref, GroupChangeType.Remove, [user]));

        Assert.Equal([b, a], (await Session(user).GetRecentSessionsAsync(0)).Select(s => s.SessionId));
    }

    private ISessionGrain Session(uint user) => cluster.Grains.GetSessionGrain(user);

    private async Task<(uint, uint)> TwoUsersAsync()
    {
        var users = await cluster.NewUsersAsync(2);
        return (users[0], users[1]);
    }

    /// <summary>a's PC sent two messages to b, whose PC and mobile both received them.</summary>
    private async Task<(TestConnection APc, TestConnection BPc, TestConnection BMobile)> TwoUnreadOnTwoDevicesAsync()
    {
        var (a, b) = await TwoUsersAsync();
        var aPc = await cluster.GatewayA.LoginAsync(a, DeviceType.Windows);
        var bPc = await cluster.GatewayA.LoginAsync(b, DeviceType.Windows);
        var bMobile = await cluster.GatewayB.LoginAsync(b, DeviceType.Android);
        await SendAsync(aPc, b, 2);
        await bPc.TakeAsync<MessagePush>(2);
        await bMobile.TakeAsync<MessagePush>(2);
        return (aPc, bPc, bMobile);
    }

    private async Task SendAsync(TestConnection from, uint to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(SendStatus.Committed, (await cluster.SendAsync(from, to, "text")).Status);
        }
    }

    private async Task<uint> SingleUnreadAsync(uint user, uint peer) =>
        (await Session(user).GetUnreadAsync()).SingleOrDefault(s => s.SessionType == SessionType.Single && s.SessionId == peer)?.UnreadCount ?? 0;

    private async Task<uint> GroupUnreadAsync(uint user, uint groupId) =>
        (await Session(user).GetUnreadAsync()).SingleOrDefault(s => s.SessionType == SessionType.Group && s.SessionId == groupId)?.UnreadCount ?? 0;
}
