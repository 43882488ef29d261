using System.Net;
using System.Net.Http.Headers;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// The admin console on the back-office listener of a real gateway: logins with IMAdmin accounts (the original's
/// stock row included), no page without a session, no form without its antiforgery token, and changes clients see at
/// once over real TCP (a user created in the console logs in; a user disabled in the console is kicked).
/// </summary>
[Collection(AdminConsoleCollection.Name)]
public sealed class AdminConsoleTests(AdminConsoleFixture fixture)
{
    private static readonly string[] Pages =
    [
        "/admin", "/admin/users", "/admin/users/new", "/admin/users/1", "/admin/departments", "/admin/departments/1",
        "/admin/groups", "/admin/groups/1", "/admin/discovery", "/admin/discovery/1",
    ];

    private static readonly string[] Forms =
    [
        "/admin/users", "/admin/users/1", "/admin/users/1/password", "/admin/users/1/disable", "/admin/departments", "/admin/departments/1",
        "/admin/groups", "/admin/groups/1/members", "/admin/discovery", "/admin/discovery/1", "/admin/discovery/1/delete",
    ];

    [Fact]
    public async Task A_wrong_password_or_unknown_name_is_refused_and_makes_no_session()
    {
        using var client = fixture.NewClient();

        using var wrong = await client.LoginAsync("ops", "not-the-password");
        using var unknown = await client.LoginAsync("nobody", AdminConsoleFixture.OpsPassword);
        using var page = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong name or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/admin/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_original_stock_admin_row_logs_in_with_its_password()
    {
        using var client = fixture.NewClient();

        using var login = await client.LoginAsync("admin", "admin");
        var overview = await client.PageAsync("/admin");

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/admin", login.Headers.Location!.OriginalString);
        Assert.Contains("<h1>Overview</h1>", overview, StringComparison.Ordinal);
        Assert.Contains("Log out admin", overview, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8090/dashboard", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_session_every_page_redirects_to_the_login_and_every_form_is_401()
    {
        using var client = fixture.NewClient();
        var token = await client.TokenAsync("/admin/login"); // a valid antiforgery token does not stand in for a session

        foreach (var path in Pages)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {path}: {(int)response.StatusCode}");
            Assert.Equal($"/admin/login?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.OriginalString);
        }

        foreach (var path in Forms)
        {
            using var response = await client.PostRawAsync(path, [new("__csrf", token), new("name", "x")]);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"POST {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_form_without_or_with_a_wrong_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var client = await fixture.LoggedInAsync();
        var name = fixture.Name("csrf-dept");

        using var without = await client.PostRawAsync("/admin/departments", [new("name", name), new("parentId", "0")]);
        using var wrong = await client.PostRawAsync("/admin/departments", [new("__csrf", "CfDJ8-not-a-token"), new("name", name), new("parentId", "0")]);
        using var other = fixture.NewClient();
        var othersToken = await other.TokenAsync("/admin/login"); // a real token, of another browser
        using var foreign = await client.PostRawAsync("/admin/departments", [new("__csrf", othersToken), new("name", name), new("parentId", "0")]);
        var list = await client.PageAsync("/admin/departments");

        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.DoesNotContain(name, list, StringComparison.Ordinal);
        var done = await client.SubmitAsync("/admin/departments", "/admin/departments", ("name", name), ("parentId", "0"), ("priority", "3"));
        Assert.Contains(name, await client.PageAsync("/admin/departments"), StringComparison.Ordinal);
        Assert.Contains("created", done, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_created_in_the_console_logs_in_over_tcp_and_a_renamed_department_is_shown()
    {
        using var client = await fixture.LoggedInAsync();
        var department = ConsoleClient.CreatedId(await client.SubmitAsync("/admin/departments", "/admin/departments", ("name", fixture.Name("Sales")), ("parentId", "0")));
        var renamed = fixture.Name("Field sales");
        await client.SubmitAsync($"/admin/departments/{department}", $"/admin/departments/{department}", ("name", renamed), ("parentId", "0"), ("priority", "2"));
        var name = fixture.Name("console-user");

        var created = await client.SubmitAsync("/admin/users/new", "/admin/users",
            ("name", name), ("password", TestDatabase.Password), ("nick", "Console User"), ("departmentId", department.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("sex", "1"), ("phone", ""), ("email", "cu@example.org"), ("avatar", "https://example.org/a.png"), ("signInfo", "hi"));
        await using var tcp = await Clients.LoginAsync(fixture.Gateway, name, ClientType.Windows);
        var listed = await client.PageAsync($"/admin/users?q={name}");

        var id = ConsoleClient.CreatedId(created);
        Assert.StartsWith($"/admin/users/{id}", created, StringComparison.Ordinal);
        Assert.Contains($">{name}</a>", listed, StringComparison.Ordinal);
        Assert.Contains(renamed, listed, StringComparison.Ordinal);
        Assert.Contains("https://example.org/a.png", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabling_a_user_in_the_console_kicks_the_connected_user_and_refuses_the_next_login()
    {
        using var client = await fixture.LoggedInAsync();
        var id = await fixture.Cluster.Database.UserIdAsync("erin");
        await using var erin = await Clients.LoginAsync(fixture.Gateway, "erin", ClientType.Windows);

        var done = await client.SubmitAsync($"/admin/users/{id}", $"/admin/users/{id}/disable");

        Assert.Contains("disabled", done, StringComparison.Ordinal);
        var kick = await erin.ReceiveAsync(CommandKeys.KickUser, Clients.Reply);
        Assert.NotNull(kick);
        Assert.Equal(id, kick.Parse<IMKickUser>().UserId);
        Assert.True(await erin.WaitClosedAsync(TimeSpan.FromSeconds(10)), "the kicked connection is closed");
        await using var again = await Clients.ConnectAsync(fixture.Gateway);
        var (refused, _) = await again.LoginAsync("erin", TestDatabase.Password, ClientType.Windows, Clients.Reply);
        Assert.Equal(ResultType.RefuseReasonDbValidateFailed, refused!.ResultCode);
    }

    [Fact]
    public async Task A_new_password_set_in_the_console_is_the_one_that_logs_in()
    {
        using var client = await fixture.LoggedInAsync();
        var id = await fixture.Cluster.Database.UserIdAsync("frank");

        await client.SubmitAsync($"/admin/users/{id}", $"/admin/users/{id}/password", ("password", "fr4nk-new"));

        await using var tcp = await Clients.ConnectAsync(fixture.Gateway);
        var (accepted, _) = await tcp.LoginAsync("frank", "fr4nk-new", ClientType.Windows, Clients.Reply);
        Assert.Equal(ResultType.RefuseReasonNone, accepted!.ResultCode);
    }

    [Fact]
    public async Task The_overview_shows_who_is_online_and_the_gateways_connections()
    {
        using var client = await fixture.LoggedInAsync();
        await using var carol = await Clients.LoginAsync(fixture.Gateway, "carol", ClientType.Windows);

        var page = await Eventually.ValueAsync(
            () => client.PageAsync("/admin"),
            html => html.Contains(">carol</a>", StringComparison.Ordinal) && !html.Contains("<b id=\"connections\">0</b>", StringComparison.Ordinal),
            "carol online and a connection counted on the overview");

        Assert.Contains("<table id=\"online-users\">", page, StringComparison.Ordinal);
        Assert.Contains("Messages/s", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_are_created_and_members_changed_in_the_console_as_the_api_sees_them()
    {
        using var client = await fixture.LoggedInAsync();
        var name = fixture.Name("Console group");
        var created = await client.SubmitAsync("/admin/groups", "/admin/groups", ("name", name), ("creator", "alice"), ("members", "alice, bob"), ("avatar", ""));
        var id = ConsoleClient.CreatedId(created);

        await client.SubmitAsync($"/admin/groups/{id}", $"/admin/groups/{id}/members", ("add", "carol"));
        await client.SubmitAsync($"/admin/groups/{id}", $"/admin/groups/{id}/members", ("remove", (await fixture.Cluster.Database.UserIdAsync("bob")).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        using var api = new HttpClient { BaseAddress = fixture.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminConsoleFixture.Key);
        var group = await AdminApiFixture.ReadAsync(await api.GetAsync(new Uri($"/api/v1/groups/{id}", UriKind.Relative)));
        uint[] members = [.. group.GetProperty("members").EnumerateArray().Select(m => m.GetUInt32()).Order()];
        uint[] expected = [.. new[] { await fixture.Cluster.Database.UserIdAsync("alice"), await fixture.Cluster.Database.UserIdAsync("carol") }.Order()];
        Assert.Equal(expected, members);
        Assert.Equal("normal", group.GetProperty("type").GetString());
        Assert.Contains(name, await client.PageAsync("/admin/groups"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_items_are_created_edited_and_deleted()
    {
        using var client = await fixture.LoggedInAsync();
        var name = fixture.Name("Wiki");

        await client.SubmitAsync("/admin/discovery", "/admin/discovery", ("name", name), ("url", "https://wiki.example.org/"), ("priority", "5"));
        var list = await client.PageAsync("/admin/discovery");
        var id = System.Text.RegularExpressions.Regex.Match(list, $"href=\"/admin/discovery/(\\d+)\">{name}<").Groups[1].Value;
        Assert.NotEmpty(id);
        await client.SubmitAsync($"/admin/discovery/{id}", $"/admin/discovery/{id}", ("name", name + "-2"), ("url", "https://wiki2.example.org/"), ("priority", "1"));
        var edited = await client.PageAsync("/admin/discovery");
        await client.SubmitAsync("/admin/discovery", $"/admin/discovery/{id}/delete");
        var after = await client.PageAsync("/admin/discovery");

        Assert.Contains("https://wiki.example.org/", list, StringComparison.Ordinal);
        Assert.Contains(name + "-2", edited, StringComparison.Ordinal);
        Assert.Contains("https://wiki2.example.org/", edited, StringComparison.Ordinal);
        Assert.DoesNotContain(name, after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logging_out_ends_the_session()
    {
        using var client = await fixture.LoggedInAsync();

        var location = await client.SubmitAsync("/admin", "/admin/logout");
        using var page = await client.GetAsync("/admin");

        Assert.StartsWith("/admin/login", location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }
}
