using System.Globalization;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// The grain side of the back-office API: creations of one name serialised by its Login grain, a user who left kicked
/// on every connection of every gateway, administrative member changes always allowed and notified everywhere,
/// department rules.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AdminTests(ClusterFixture cluster)
{
    private static int nextName;

    [Fact]
    public async Task Concurrent_creations_of_one_name_make_one_user_and_the_others_find_it_taken()
    {
        var department = await DepartmentAsync();
        var name = string.Create(CultureInfo.InvariantCulture, $"admin-new{Interlocked.Increment(ref nextName)}");
        var user = new NewUser(name, "secret", "Nick", department, 1, "123", "a@example.org", string.Empty, string.Empty);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cluster.Grains.GetLoginGrain(name).CreateUserAsync(user)));

        var created = Assert.Single(results, r => r.Status == AdminWriteStatus.Done);
        Assert.All(results.Where(r => r != created), r => Assert.Equal(AdminWriteStatus.Duplicate, r.Status));
        Assert.Equal(1L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT COUNT(*) FROM IMUser WHERE name = @n", ("@n", name)), CultureInfo.InvariantCulture));
        var login = await cluster.Grains.GetLoginGrain(name).LoginAsync(TeamTalk.Orleans.Data.Users.TeamTalkPassword.ClientHash("secret"));
        Assert.Equal((LoginOutcome.Success, created.Id), (login.Outcome, login.Profile!.UserId));
    }

    [Fact]
    public async Task Invalid_fields_or_an_unknown_department_write_nothing()
    {
        var department = await DepartmentAsync();
        var name = string.Create(CultureInfo.InvariantCulture, $"admin-bad{Interlocked.Increment(ref nextName)}");
        var login = cluster.Grains.GetLoginGrain(name);

        var tooLong = await login.CreateUserAsync(new NewUser(name, "p", new string('n', UserFields.Nick + 1), department, 0, "", "", "", ""));
        var noDepartment = await login.CreateUserAsync(new NewUser(name, "p", "n", 3_999_999, 0, "", "", "", ""));

        Assert.Equal((AdminWriteStatus.Invalid, "nick"), (tooLong.Status, tooLong.Error![..4]));
        Assert.Equal((AdminWriteStatus.Invalid, "departmentId"), (noDepartment.Status, noDepartment.Error!.Split(':')[0]));
        Assert.Equal(0L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT COUNT(*) FROM IMUser WHERE name = @n", ("@n", name)), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_user_who_left_is_kicked_on_every_connection_of_every_gateway()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var pc = await cluster.GatewayA.LoginAsync(user, DeviceType.Windows);
        var phone = await cluster.GatewayB.LoginAsync(user, DeviceType.Android);

        var result = await cluster.Grains.GetGrain<IUserProfileGrain>(user).UpdateAsync(UserUpdate.Leave);

        Assert.Equal(AdminWriteStatus.Done, result.Status);
        Assert.Equal(KickReason.DuplicateUser, await pc.Kicked.WaitAsync(TestConnection.Timeout));
        Assert.Equal(KickReason.DuplicateUser, await phone.Kicked.WaitAsync(TestConnection.Timeout));
        Assert.Empty(await cluster.Grains.GetUserGrain(user).GetConnectionsAsync());
        Assert.Equal(3L, Convert.ToInt64(await cluster.Database.ScalarAsync("SELECT status FROM IMUser WHERE id = @id", ("@id", user)), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_change_of_an_unknown_user_is_not_found_and_a_taken_name_a_duplicate()
    {
        var users = await cluster.NewUsersAsync(2);
        var takenName = (string)(await cluster.Database.ScalarAsync("SELECT name FROM IMUser WHERE id = @id", ("@id", users[0])))!;

        var missing = await cluster.Grains.GetGrain<IUserProfileGrain>(3_999_999_998).UpdateAsync(new UserUpdate(null, null, "n", null, null, null, null, null, null, null));
        var taken = await cluster.Grains.GetGrain<IUserProfileGrain>(users[1]).UpdateAsync(new UserUpdate(takenName, null, "renamed", null, null, null, null, null, null, null));

        Assert.Equal(AdminWriteStatus.NotFound, missing.Status);
        Assert.Equal(AdminWriteStatus.Duplicate, taken.Status);
        Assert.NotEqual("renamed", (string)(await cluster.Database.ScalarAsync("SELECT nick FROM IMUser WHERE id = @id", ("@id", users[1])))!);
    }

    [Fact]
    public async Task An_administrative_member_change_is_allowed_in_a_normal_group_and_notifies_every_connection()
    {
        var users = await cluster.NewUsersAsync(3);
        var (creator, member, joining) = (users[0], users[1], users[2]);
        var created = await cluster.Grains.GetGroupDirectory().CreateAsync(new GroupCreate(creator, "normal", string.Empty, [creator, member], GroupCreate.Normal));
        var memberPc = await cluster.GatewayA.LoginAsync(member, DeviceType.Windows);
        var joiningPhone = await cluster.GatewayB.LoginAsync(joining, DeviceType.Ios);

        var byMember = await cluster.Grains.GetGroupGrain(created.GroupId).ChangeMembersAsync(new GroupChange(member, memberPc.Ref, GroupChangeType.Add, [joining]));
        var byAdmin = await cluster.Grains.GetGroupGrain(created.GroupId).ChangeMembersAsync(GroupChange.Administrative(GroupChangeType.Add, [joining]));

        Assert.Equal(GroupChangeStatus.Refused, byMember.Status);
        Assert.Equal(GroupChangeStatus.Done, byAdmin.Status);
        Assert.Equal([joining], byAdmin.Changed);
        foreach (var connection in new[] { memberPc, joiningPhone })
        {
            var notify = await connection.NextAsync<GroupMembersChangedPush>();
            Assert.Equal((0u, created.GroupId), (notify.UserId, notify.GroupId));
        }

        var info = await cluster.Grains.GetGroupGrain(created.GroupId).GetAdminInfoAsync();
        Assert.Equal(GroupCreate.Normal, info!.GroupType);
        Assert.Equal(new[] { creator, member, joining }.Order(), info.Members.Order());
    }

    [Fact]
    public async Task Departments_need_a_known_parent_and_a_name_unique_under_it()
    {
        var directory = cluster.Grains.GetGrain<IOrgDirectoryGrain>(0);
        var name = string.Create(CultureInfo.InvariantCulture, $"dept{Interlocked.Increment(ref nextName)}");

        var top = await directory.CreateDepartmentAsync(new NewDepartment(name, 0, 1));
        var child = await directory.CreateDepartmentAsync(new NewDepartment(name, top.Id, 1));
        var again = await directory.CreateDepartmentAsync(new NewDepartment(name, 0, 2));
        var orphan = await directory.CreateDepartmentAsync(new NewDepartment("orphan", 3_999_999, 0));
        var unnamed = await directory.CreateDepartmentAsync(new NewDepartment(" ", 0, 0));

        Assert.Equal([AdminWriteStatus.Done, AdminWriteStatus.Done, AdminWriteStatus.Duplicate, AdminWriteStatus.Invalid, AdminWriteStatus.Invalid],
            new[] { top, child, again, orphan, unnamed }.Select(r => r.Status));
        var listed = (await directory.GetDepartmentsChangedSinceAsync(0)).Departments;
        Assert.Contains(listed, d => d.DepartmentId == child.Id && d.ParentId == top.Id && d.Name == name);
    }

    private async Task<uint> DepartmentAsync() => Convert.ToUInt32(
        await cluster.Database.ScalarAsync(
            "INSERT INTO IMDepart (departName, priority, parentId, status, created, updated) VALUES (@n, 0, 0, 0, 0, 0); SELECT LAST_INSERT_ID();",
            ("@n", string.Create(CultureInfo.InvariantCulture, $"d{Interlocked.Increment(ref nextName)}"))),
        CultureInfo.InvariantCulture);
}
