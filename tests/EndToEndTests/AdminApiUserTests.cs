using System.Net;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Users made and changed over the back-office API are what clients see at once over real TCP: a new user logs in and
/// is in the next incremental all-users sync; a changed password is the one that works; a user who left (DELETE, or
/// PATCH status 3) is kicked on every connection and refused at login.
/// </summary>
[Collection(AdminApiCollection.Name)]
public sealed class AdminApiUserTests(AdminApiFixture fixture)
{
    [Fact]
    public async Task A_user_created_over_the_api_logs_in_and_is_in_the_next_all_users_sync()
    {
        await using var watcher = await Clients.LoginAsync(fixture.Gateway, "alice", ClientType.Windows);
        var synced = await AllUsersAsync(watcher, 0);
        var name = fixture.Name("newbie");

        var id = await fixture.CreateUserAsync(name);
        await using var newbie = await Clients.LoginAsync(fixture.Gateway, name, ClientType.Android);
        var user = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri($"/api/v1/users/{id}", UriKind.Relative)));
        var changed = await AllUsersAsync(watcher, synced.LatestUpdateTime);

        Assert.Equal((name, name.ToUpperInvariant(), fixture.DepartmentId, 0u), (user.GetProperty("name").GetString(), user.GetProperty("nick").GetString(), user.GetProperty("departmentId").GetUInt32(), user.GetProperty("status").GetUInt32()));
        Assert.False(user.TryGetProperty("password", out _));
        var listed = Assert.Single(changed.UserList, u => u.UserId == id);
        Assert.Equal((name, name.ToUpperInvariant()), (listed.UserRealName, listed.UserNickName));
    }

    [Fact]
    public async Task A_patch_changes_the_fields_and_the_password_that_logs_in()
    {
        var name = fixture.Name("patched");
        var id = await fixture.CreateUserAsync(name);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}")
        {
            Content = AdminApiFixture.Json(new { nick = "Pat", password = "s3cret", phone = "12345", signInfo = "hello" }),
        };

        var user = await AdminApiFixture.ReadAsync(await fixture.Api.SendAsync(patch));
        await using var withOld = await Clients.ConnectAsync(fixture.Gateway);
        var (refused, _) = await withOld.LoginAsync(name, TestDatabase.Password, ClientType.Windows, Clients.Reply);
        await using var withNew = await Clients.ConnectAsync(fixture.Gateway);
        var (accepted, _) = await withNew.LoginAsync(name, "s3cret", ClientType.Windows, Clients.Reply);

        Assert.Equal(("Pat", "12345", "hello"), (user.GetProperty("nick").GetString(), user.GetProperty("phone").GetString(), user.GetProperty("signInfo").GetString()));
        Assert.Equal(ResultType.RefuseReasonDbValidateFailed, refused!.ResultCode);
        Assert.Equal(ResultType.RefuseReasonNone, accepted!.ResultCode);
        Assert.Equal("Pat", accepted.UserInfo.UserNickName);
    }

    [Fact]
    public async Task A_deleted_user_is_kicked_on_every_connection_and_refused_at_login()
    {
        var name = fixture.Name("leaver");
        var id = await fixture.CreateUserAsync(name);
        await using var pc = await Clients.LoginAsync(fixture.Gateway, name, ClientType.Windows);
        await using var phone = await Clients.LoginAsync(fixture.Gateway, name, ClientType.Ios);

        using var deleted = await fixture.Api.DeleteAsync(new Uri($"/api/v1/users/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertKickedAsync(pc, id);
        await AssertKickedAsync(phone, id);
        await AssertRefusedAsync(name);
        var user = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri($"/api/v1/users/{id}", UriKind.Relative)));
        Assert.Equal(3u, user.GetProperty("status").GetUInt32());
    }

    [Fact]
    public async Task A_patch_to_status_3_kicks_like_a_delete_and_status_2_lets_the_user_back()
    {
        var name = fixture.Name("suspended");
        var id = await fixture.CreateUserAsync(name);
        await using var pc = await Clients.LoginAsync(fixture.Gateway, name, ClientType.Mac);

        using var left = await fixture.Api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}") { Content = AdminApiFixture.Json(new { status = 3 }) });
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        await AssertKickedAsync(pc, id);
        await AssertRefusedAsync(name);

        using var back = await fixture.Api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}") { Content = AdminApiFixture.Json(new { status = 2 }) });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        await using var again = await Clients.LoginAsync(fixture.Gateway, name, ClientType.Mac);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}") { Content = AdminApiFixture.Json(new { status = 9 }) })).StatusCode);
    }

    [Fact]
    public async Task A_rename_to_a_taken_name_is_409_and_changes_nothing()
    {
        var first = fixture.Name("first");
        var second = fixture.Name("second");
        await fixture.CreateUserAsync(first);
        var id = await fixture.CreateUserAsync(second);

        using var renamed = await fixture.Api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}") { Content = AdminApiFixture.Json(new { name = first, nick = "x" }) });
        var user = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri($"/api/v1/users/{id}", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);
        Assert.Equal((second, second.ToUpperInvariant()), (user.GetProperty("name").GetString(), user.GetProperty("nick").GetString()));
    }

    private static async Task AssertKickedAsync(TeamTalkClient client, uint userId)
    {
        var kick = await client.ReceiveAsync(CommandKeys.KickUser, Clients.Reply);
        Assert.NotNull(kick);
        Assert.Equal(userId, kick.Parse<IMKickUser>().UserId);
        Assert.True(await client.WaitClosedAsync(TimeSpan.FromSeconds(10)), "the kicked connection is closed");
    }

    private async Task AssertRefusedAsync(string name)
    {
        await using var client = await Clients.ConnectAsync(fixture.Gateway);
        var (response, _) = await client.LoginAsync(name, TestDatabase.Password, ClientType.Windows, Clients.Reply);
        Assert.NotNull(response);
        Assert.Equal(ResultType.RefuseReasonDbValidateFailed, response.ResultCode);
    }

    private static Task<IMAllUserRsp> AllUsersAsync(TeamTalkClient client, uint since) =>
        Chat.RequestAsync<IMAllUserRsp>(client, CommandKeys.AllUserRequest, new IMAllUserReq { UserId = 0, LatestUpdateTime = since }, CommandKeys.AllUserResponse);
}
