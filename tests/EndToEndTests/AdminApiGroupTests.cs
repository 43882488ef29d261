using System.Net;
using System.Text.Json;
using Google.Protobuf;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Groups made and changed over the back-office API, and the original http_msg_server's two requests, seen by real
/// clients over TCP: a created normal group is in every member's normal group list and its members message at once;
/// member changes notify every member's connections and let new members in.
/// </summary>
[Collection(AdminApiCollection.Name)]
public sealed class AdminApiGroupTests(AdminApiFixture fixture)
{
    private static readonly uint[] NoUsers = [999999];

    [Fact]
    public async Task A_group_created_over_the_api_is_in_each_members_normal_list_and_they_message_at_once()
    {
        var (a, b, c) = (await fixture.CreateUserAsync(fixture.Name("ga")), await fixture.CreateUserAsync(fixture.Name("gb")), await fixture.CreateUserAsync(fixture.Name("gc")));
        using var created = await fixture.Api.PostAsync(
            new Uri("/api/v1/groups", UriKind.Relative),
            AdminApiFixture.Json(new { name = "staff", creatorId = a, memberIds = new[] { a, b, c }, type = "normal", avatar = "https://example.org/g.png" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var group = (await AdminApiFixture.ReadAsync(created)).GetProperty("id").GetUInt32();

        var clients = new List<TeamTalkClient>();
        try
        {
            foreach (var (id, type) in new[] { (a, ClientType.Windows), (b, ClientType.Android), (c, ClientType.Mac) })
            {
                clients.Add(await Clients.LoginAsync(fixture.Gateway, await NameAsync(id), type));
            }

            foreach (var client in clients)
            {
                var list = await Chat.RequestAsync<IMNormalGroupListRsp>(client, CommandKeys.GroupNormalListRequest, new IMNormalGroupListReq { UserId = 0 }, CommandKeys.GroupNormalListResponse);
                Assert.Contains(list.GroupVersionList, v => v.GroupId == group);
            }

            var ack = await SendAsync(clients[1], group, "hello staff");
            foreach (var client in new[] { clients[0], clients[2] })
            {
                await Markers.UntilAsync(client, Markers.Message(group, ack.MsgId), "the group message");
            }

            var info = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri($"/api/v1/groups/{group}", UriKind.Relative)));
            Assert.Equal(("staff", "normal", a), (info.GetProperty("name").GetString(), info.GetProperty("type").GetString(), info.GetProperty("creatorId").GetUInt32()));
            Assert.Equal(new[] { a, b, c }.Order(), Members(info, "members").Order());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Member_changes_over_the_api_notify_the_members_and_let_new_members_message()
    {
        var (a, b, joiner) = (await fixture.CreateUserAsync(fixture.Name("ma")), await fixture.CreateUserAsync(fixture.Name("mb")), await fixture.CreateUserAsync(fixture.Name("mj")));
        var group = (await AdminApiFixture.ReadAsync(await fixture.Api.PostAsync(
            new Uri("/api/v1/groups", UriKind.Relative),
            AdminApiFixture.Json(new { name = "temp", creatorId = a, memberIds = new[] { a, b }, type = "temporary" })))).GetProperty("id").GetUInt32();
        await using var aPc = await Clients.LoginAsync(fixture.Gateway, await NameAsync(a), ClientType.Windows);
        await using var joinerPhone = await Clients.LoginAsync(fixture.Gateway, await NameAsync(joiner), ClientType.Android);

        var changed = await AdminApiFixture.ReadAsync(await fixture.Api.PostAsync(
            new Uri($"/api/v1/groups/{group}/members", UriKind.Relative), AdminApiFixture.Json(new { add = new[] { joiner }, remove = new[] { b } })));

        Assert.Equal(new[] { joiner }, Members(changed, "added"));
        Assert.Equal(new[] { b }, Members(changed, "removed"));
        Assert.Equal(new[] { a, joiner }.Order(), Members(changed, "members").Order());
        foreach (var client in new[] { aPc, joinerPhone })
        {
            await Markers.UntilAsync(client, ChangeNotify(group, GroupModifyType.Add, joiner), "the add notify");
        }

        await Markers.UntilAsync(aPc, ChangeNotify(group, GroupModifyType.Del, b), "the remove notify");
        var ack = await SendAsync(joinerPhone, group, "I'm in");
        await Markers.UntilAsync(aPc, Markers.Message(group, ack.MsgId), "the new member's message");
    }

    [Fact]
    public async Task The_original_create_group_and_change_members_requests_work_with_the_key_in_app_key()
    {
        var (a, b, c) = (await fixture.CreateUserAsync(fixture.Name("la")), await fixture.CreateUserAsync(fixture.Name("lb")), await fixture.CreateUserAsync(fixture.Name("lc")));
        await using var cPc = await Clients.LoginAsync(fixture.Gateway, await NameAsync(c), ClientType.Windows);

        using var created = await fixture.Anonymous.PostAsync(new Uri("/query/CreateGroup", UriKind.Relative), AdminApiFixture.Json(new
        {
            req_user_id = 1, app_key = AdminApiFixture.Key, group_name = "legacy", group_type = 1, group_avatar = "", user_id_list = new[] { a, b },
        }));
        var createdBody = await LegacyAsync(created);
        Assert.Equal((0, "成功"), (createdBody.GetProperty("error_code").GetInt32(), createdBody.GetProperty("error_msg").GetString()));
        Assert.StartsWith("text/html", created.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var group = createdBody.GetProperty("group_id").GetUInt32();
        var info = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri($"/api/v1/groups/{group}", UriKind.Relative)));
        Assert.Equal((0u, "normal"), (info.GetProperty("creatorId").GetUInt32(), info.GetProperty("type").GetString()));

        using var added = await fixture.Anonymous.PostAsync(new Uri("/query/ChangeMembers", UriKind.Relative), AdminApiFixture.Json(new
        {
            req_user_id = 1, app_key = AdminApiFixture.Key, group_id = group, modify_type = 1, user_id_list = new[] { c },
        }));
        Assert.Equal(0, (await LegacyAsync(added)).GetProperty("error_code").GetInt32());
        Assert.False((await LegacyAsync(added)).TryGetProperty("group_id", out _));
        await Markers.UntilAsync(cPc, ChangeNotify(group, GroupModifyType.Add, c), "the add notify");

        using var missing = await fixture.Anonymous.PostAsync(new Uri("/query/ChangeMembers", UriKind.Relative), AdminApiFixture.Json(new
        {
            app_key = AdminApiFixture.Key, group_id = group, modify_type = 1, user_id_list = new[] { c },
        }));
        using var unknownGroup = await fixture.Anonymous.PostAsync(new Uri("/query/ChangeMembers", UriKind.Relative), AdminApiFixture.Json(new
        {
            req_user_id = 1, app_key = AdminApiFixture.Key, group_id = 999999, modify_type = 2, user_id_list = new[] { c },
        }));
        using var badKey = await fixture.Anonymous.PostAsync(new Uri("/query/CreateGroup", UriKind.Relative), AdminApiFixture.Json(new
        {
            req_user_id = 1, app_key = "wrong-key-wrong-key", group_name = "nope", group_type = 2, group_avatar = "", user_id_list = new[] { a },
        }));
        using var unknownUser = await fixture.Anonymous.PostAsync(new Uri("/query/CreateGroup", UriKind.Relative), AdminApiFixture.Json(new
        {
            req_user_id = 1, app_key = AdminApiFixture.Key, group_name = "ghosts", group_type = 2, group_avatar = "", user_id_list = NoUsers,
        }));

        Assert.Equal(1, (await LegacyAsync(missing)).GetProperty("error_code").GetInt32());
        Assert.Equal(12, (await LegacyAsync(unknownGroup)).GetProperty("error_code").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await badKey.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetInt32());
        Assert.Equal((11, 0u), ((await LegacyAsync(unknownUser)).GetProperty("error_code").GetInt32(), (await LegacyAsync(unknownUser)).GetProperty("group_id").GetUInt32()));
    }

    private static async Task<JsonElement> LegacyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static uint[] Members(JsonElement body, string property) => [.. body.GetProperty(property).EnumerateArray().Select(e => e.GetUInt32())];

    private static Func<ReceivedFrame, bool> ChangeNotify(uint group, GroupModifyType type, uint changed) => frame =>
        frame.Command == CommandKeys.GroupChangeMemberNotify && frame.Parse<IMGroupChangeMemberNotify>() is var notify
        && notify.GroupId == group && notify.ChangeType == type && notify.ChgUserIdList.Contains(changed);

    private async Task<string> NameAsync(uint id) =>
        (await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri($"/api/v1/users/{id}", UriKind.Relative)))).GetProperty("name").GetString()!;

    private static async Task<IMMsgDataAck> SendAsync(TeamTalkClient client, uint group, string text)
    {
        var seq = await client.SendAsync(CommandKeys.MessageData, new IMMsgData
        {
            FromUserId = 0, ToSessionId = group, MsgId = 0, CreateTime = 0, MsgType = MsgType.GroupText, MsgData = ByteString.CopyFromUtf8(text),
        });
        var frames = await Markers.UntilAsync(client, Markers.Reply(CommandKeys.MessageDataAck, seq), "the message's ack");
        return frames[^1].Parse<IMMsgDataAck>();
    }
}
