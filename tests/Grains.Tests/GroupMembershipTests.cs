using Microsoft.Extensions.Logging.Abstractions;
using TeamTalk.Orleans.Data.Seeding;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>The membership rules of the Group grain, its notifications, and what membership means for messages and history.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupMembershipTests(ClusterFixture cluster)
{
    private static readonly ConnectionRef Nowhere = new("gw-none", 0);

    [Fact]
    public async Task The_creator_adds_and_removes_anyone()
    {
        var (creator, member, outsider) = await ThreeUsersAsync();
        var groupId = await cluster.CreateGroupAsync(creator, creator, member);

        var added = await ChangeAsync(groupId, creator, GroupChangeType.Add, outsider);
        var removed = await ChangeAsync(groupId, creator, GroupChangeType.Remove, member);

        AssertDone([outsider], added);
        AssertDone([member], removed);
        var info = await cluster.Grains.GetGroupGrain(groupId).GetInfoAsync(creator);
        Assert.Equal([creator, outsider], info!.Members.Order());
        Assert.Equal(3u, info.Version); // created at 1, one per change
        Assert.Equal(2L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT userCnt FROM IMGroup WHERE id = @g", ("@g", groupId)), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_member_of_a_temporary_group_may_add()
    {
        var (creator, member, outsider) = await ThreeUsersAsync();
        var groupId = await cluster.CreateGroupAsync(creator, creator, member);

        var added = await ChangeAsync(groupId, member, GroupChangeType.Add, outsider);

        AssertDone([outsider], added);
        Assert.Equal([creator, member, outsider], added.CurrentMembers.Order());
    }

    [Fact]
    public async Task A_member_of_a_normal_group_may_not_add()
    {
        var (creator, member, outsider) = await ThreeUsersAsync();
        var seeder = new UserSeeder(cluster.Database.ConnectionString, NullLogger<UserSeeder>.Instance);
        var groupId = await seeder.EnsureGroupAsync("normal " + Guid.NewGuid().ToString("N"), [creator, member], groupType: 1);

        var added = await ChangeAsync(groupId, member, GroupChangeType.Add, outsider);

        Assert.Equal(GroupChangeStatus.Refused, added.Status);
    }

    [Fact]
    public async Task A_member_may_remove_only_itself()
    {
        var (creator, member, other) = await ThreeUsersAsync();
        var groupId = await cluster.CreateGroupAsync(creator, creator, member, other);

        var removingOther = await ChangeAsync(groupId, member, GroupChangeType.Remove, other);
        var removingBoth = await ChangeAsync(groupId, member, GroupChangeType.Remove, member, other);
        var leaving = await ChangeAsync(groupId, member, GroupChangeType.Remove, member);

        Assert.Equal(GroupChangeStatus.Refused, removingOther.Status);
        Assert.Equal(GroupChangeStatus.Refused, removingBoth.Status);
        AssertDone([member], leaving);
        Assert.Equal([creator, other], leaving.CurrentMembers.Order());
    }

    [Fact]
    public async Task A_non_member_is_refused()
    {
        var (creator, member, outsider) = await ThreeUsersAsync();
        var groupId = await cluster.CreateGroupAsync(creator, creator, member);

        var adding = await ChangeAsync(groupId, outsider, GroupChangeType.Add, outsider);
        var removing = await ChangeAsync(groupId, outsider, GroupChangeType.Remove, member);

        Assert.Equal(GroupChangeStatus.Refused, adding.Status);
        Assert.Equal(GroupChangeStatus.Refused, removing.Status);
        Assert.Equal([creator, member], (await cluster.Grains.GetGroupGrain(groupId).GetInfoAsync(creator))!.Members.Order());
    }

    [Fact]
    public async Task Adding_only_existing_members_is_done_with_nothing_changed_or_notified()
    {
        var (creator, member, _) = await ThreeUsersAsync();
        var groupId = await cluster.CreateGroupAsync(creator, creator, member);
        var group = cluster.Grains.GetGroupGrain(groupId);
        var before = await group.GetInfoAsync(creator);
        var creatorPc = await cluster.GatewayA.LoginAsync(creator, DeviceType.Windows);
        var memberPc = await cluster.GatewayB.LoginAsync(member, DeviceType.Windows);

        var result = await group.ChangeMembersAsync(new GroupChange(member, memberPc.Ref, GroupChangeType.Add, [creator, member]));

        AssertDone([], result);
        Assert.Equal([creator, member], result.CurrentMembers.Order());
        Assert.Equal(before!.Version, (await group.GetInfoAsync(creator))!.Version);
        await cluster.AssertNothingElseAsync(creatorPc, memberPc);
    }

    [Fact]
    public async Task Members_and_changed_users_are_notified_once_each_except_on_the_requesting_connection()
    {
        var users = await cluster.NewUsersAsync(4);
        var (creator, member, leaving, joining) = (users[0], users[1], users[2], users[3]);
        var groupId = await cluster.CreateGroupAsync(creator, creator, member, leaving);
        var creatorPc = await cluster.GatewayA.LoginAsync(creator, DeviceType.Windows);
        var creatorMobile = await cluster.GatewayB.LoginAsync(creator, DeviceType.Ios);
        var memberPc = await cluster.GatewayB.LoginAsync(member, DeviceType.Windows);
        var leavingPc = await cluster.GatewayA.LoginAsync(leaving, DeviceType.Windows);
        var joiningPc = await cluster.GatewayB.LoginAsync(joining, DeviceType.Mac);
        var group = cluster.Grains.GetGroupGrain(groupId);

        await group.ChangeMembersAsync(new GroupChange(creator, creatorPc.Ref, GroupChangeType.Add, [joining]));
        await group.ChangeMembersAsync(new GroupChange(creator, creatorPc.Ref, GroupChangeType.Remove, [leaving]));

        var added = new GroupMembersChangedPush(creator, (uint)GroupChangeType.Add, groupId, [creator, member, leaving, joining], [joining]);
        var removed = new GroupMembersChangedPush(creator, (uint)GroupChangeType.Remove, groupId, [creator, member, joining], [leaving]);
        foreach (var connection in new[] { creatorMobile, memberPc, joiningPc })
        {
            AssertPush(added, await connection.NextAsync<GroupMembersChangedPush>());
            AssertPush(removed, await connection.NextAsync<GroupMembersChangedPush>());
        }

        AssertPush(added, await leavingPc.NextAsync<GroupMembersChangedPush>());
        AssertPush(removed, await leavingPc.NextAsync<GroupMembersChangedPush>());
        await cluster.AssertNothingElseAsync(creatorPc, creatorMobile, memberPc, leavingPc, joiningPc);
    }

    [Fact]
    public async Task A_removed_member_may_no_longer_send_nor_read_the_history()
    {
        var (creator, member, _) = await ThreeUsersAsync();
        var groupId = await cluster.CreateGroupAsync(creator, creator, member);
        var memberPc = await cluster.GatewayA.LoginAsync(member, DeviceType.Windows);
        Assert.Equal(SendStatus.Committed, (await cluster.SendToGroupAsync(memberPc, groupId, "before")).Status);

        await ChangeAsync(groupId, creator, GroupChangeType.Remove, member);

        var group = cluster.Grains.GetGroupGrain(groupId);
        Assert.Equal(SendStatus.NotMember, (await cluster.SendToGroupAsync(memberPc, groupId, "after")).Status);
        Assert.Empty(await group.GetHistoryAsync(member, 0, 10));
        Assert.Empty(await group.GetByIdsAsync(member, [1]));
        Assert.Null(await group.GetLatestAsync(member));
        Assert.Null(await group.GetInfoAsync(member));
        Assert.Equal([1u], (await group.GetHistoryAsync(creator, 0, 10)).Select(m => m.MsgId));
    }

    [Fact]
    public async Task A_new_member_reads_the_history_from_its_join_time_only()
    {
        var (creator, member, joining) = await ThreeUsersAsync();
        var groupId = await cluster.CreateGroupAsync(creator, creator, member);
        var creatorPc = await cluster.GatewayA.LoginAsync(creator, DeviceType.Windows);
        await cluster.SendToGroupAsync(creatorPc, groupId, "before the join");
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));

        await ChangeAsync(groupId, creator, GroupChangeType.Add, joining);
        await cluster.SendToGroupAsync(creatorPc, groupId, "after the join");

        var group = cluster.Grains.GetGroupGrain(groupId);
        Assert.Equal([2u], (await group.GetHistoryAsync(joining, 0, 10)).Select(m => m.MsgId));
        Assert.Equal([2u], (await group.GetByIdsAsync(joining, [1, 2])).Select(m => m.MsgId));
        Assert.Equal([2u, 1], (await group.GetHistoryAsync(member, 0, 10)).Select(m => m.MsgId));
    }

    private static void AssertDone(uint[] changed, GroupChangeResult result)
    {
        Assert.Equal(GroupChangeStatus.Done, result.Status);
        Assert.Equal(changed, result.Changed);
    }

    private static void AssertPush(GroupMembersChangedPush expected, GroupMembersChangedPush actual)
    {
        Assert.Equal((expected.UserId, expected.ChangeType, expected.GroupId), (actual.UserId, actual.ChangeType, actual.GroupId));
        Assert.Equal(expected.CurrentMembers.Order(), actual.CurrentMembers.Order());
        Assert.Equal(expected.Changed, actual.Changed);
    }

    private async Task<(uint, uint, uint)> ThreeUsersAsync()
    {
        var users = await cluster.NewUsersAsync(3);
        return (users[0], users[1], users[2]);
    }

    private Task<GroupChangeResult> ChangeAsync(uint groupId, uint requester, GroupChangeType type, params uint[] userIds) =>
        cluster.Grains.GetGroupGrain(groupId).ChangeMembersAsync(new GroupChange(requester, Nowhere, type, userIds));
}
