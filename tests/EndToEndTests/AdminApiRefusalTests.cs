using System.Net;
using System.Text.Json;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// The back-office API refuses what it must, over real HTTP against a built gateway: 401 without or with a wrong key
/// on every route, its routes only on its own port (and discovery not there), 400 naming the field, 404, 409, 413,
/// and nothing written for any of them.
/// </summary>
[Collection(AdminApiCollection.Name)]
public sealed class AdminApiRefusalTests(AdminApiFixture fixture)
{
    public static TheoryData<string, string> Routes => new()
    {
        { "POST", "/api/v1/users" },
        { "GET", "/api/v1/users/1" },
        { "PATCH", "/api/v1/users/1" },
        { "DELETE", "/api/v1/users/1" },
        { "POST", "/api/v1/departments" },
        { "GET", "/api/v1/departments" },
        { "POST", "/api/v1/groups" },
        { "GET", "/api/v1/groups/1" },
        { "POST", "/api/v1/groups/1/members" },
        { "GET", "/api/v1/openapi.json" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_is_401_without_a_key_or_with_a_wrong_one(string method, string path)
    {
        using var none = await fixture.Anonymous.SendAsync(Request(method, path, "{}"));
        var wrong = Request(method, path, "{}");
        wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminApiFixture.Key + "x");
        using var wrongKey = await fixture.Anonymous.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Contains("key", await ErrorAsync(none), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_is_served_on_its_own_port_only_and_discovery_not_there()
    {
        using var discovery = await fixture.Api.GetAsync(new Uri("/msg_server", UriKind.Relative));
        using var health = await fixture.Api.GetAsync(new Uri("/health", UriKind.Relative));
        using var publicPort = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Gateway.HttpPort}") };
        publicPort.DefaultRequestHeaders.Authorization = fixture.Api.DefaultRequestHeaders.Authorization;
        using var apiOnPublic = await publicPort.GetAsync(new Uri("/api/v1/departments", UriKind.Relative));
        using var discoveryOnPublic = await publicPort.GetAsync(new Uri("/msg_server", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, apiOnPublic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, discoveryOnPublic.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route()
    {
        var document = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri("/api/v1/openapi.json", UriKind.Relative)));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        foreach (var path in new[] { "/api/v1/users", "/api/v1/users/{id}", "/api/v1/departments", "/api/v1/groups", "/api/v1/groups/{id}", "/api/v1/groups/{id}/members", "/query/CreateGroup", "/query/ChangeMembers" })
        {
            Assert.True(paths.Contains(path) || paths.Contains(path + "/"), $"{path} in {string.Join(", ", paths)}");
        }

        Assert.DoesNotContain("/health", paths);
    }

    [Theory]
    [InlineData("{\"name\": \"x\"", "body")]
    [InlineData("[1, 2]", "body")]
    [InlineData("{\"password\": \"p\", \"nick\": \"n\", \"departmentId\": 1}", "name")]
    [InlineData("{\"name\": \"bad1\", \"password\": \"p\", \"nick\": \"n\"}", "departmentId")]
    [InlineData("{\"name\": \"bad2\", \"password\": \"p\", \"nick\": \"n\", \"departmentId\": \"one\"}", "departmentId")]
    [InlineData("{\"name\": \"bad3\", \"password\": \"p\", \"nick\": \"n\", \"departmentId\": 1, \"colour\": \"red\"}", "colour")]
    [InlineData("{\"name\": \"bad4\", \"password\": \"p\", \"nick\": \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\", \"departmentId\": 1}", "nick")]
    [InlineData("{\"name\": \"bad5\", \"password\": \"p\", \"nick\": \"n\", \"departmentId\": 999999}", "departmentId")]
    [InlineData("{\"name\": \"bad 6\", \"password\": \"p\", \"nick\": \"n\", \"departmentId\": 1}", "name")]
    [InlineData("{\"name\": \"bad7\", \"password\": \"p\", \"nick\": \"n\", \"departmentId\": 1, \"sex\": 7}", "sex")]
    public async Task Bad_user_input_is_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var before = await UserCountAsync();
        using var response = await fixture.Api.PostAsync(new Uri("/api/v1/users", UriKind.Relative), AdminApiFixture.Raw(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(field + ":", await ErrorAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_malformed_ids_400()
    {
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/users/999999") { Content = AdminApiFixture.Raw("{\"nick\": \"n\"}") };
        using var patched = await fixture.Api.SendAsync(patch);
        using var got = await fixture.Api.GetAsync(new Uri("/api/v1/users/999999", UriKind.Relative));
        using var deleted = await fixture.Api.DeleteAsync(new Uri("/api/v1/users/999999", UriKind.Relative));
        using var group = await fixture.Api.GetAsync(new Uri("/api/v1/groups/999999", UriKind.Relative));
        using var members = await fixture.Api.PostAsync(new Uri("/api/v1/groups/999999/members", UriKind.Relative), AdminApiFixture.Raw("{\"remove\": [1]}"));
        using var malformed = await fixture.Api.GetAsync(new Uri("/api/v1/users/abc", UriKind.Relative));

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.BadRequest],
            new[] { patched, got, deleted, group, members, malformed }.Select(r => r.StatusCode));
        Assert.StartsWith("id:", await ErrorAsync(malformed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_name_is_409_and_a_body_over_64_KiB_413()
    {
        var name = fixture.Name("dup");
        await fixture.CreateUserAsync(name);
        var before = await UserCountAsync();

        using var again = await fixture.Api.PostAsync(
            new Uri("/api/v1/users", UriKind.Relative),
            AdminApiFixture.Json(new { name, password = "other", nick = "again", departmentId = fixture.DepartmentId }));
        using var huge = await fixture.Api.PostAsync(
            new Uri("/api/v1/users", UriKind.Relative),
            AdminApiFixture.Json(new { name = fixture.Name("huge"), password = "p", nick = "n", departmentId = fixture.DepartmentId, signInfo = new string('s', 70 * 1024) }));
        using var hugeDepartment = await fixture.Api.PostAsync(
            new Uri("/api/v1/departments", UriKind.Relative),
            new StreamContent(new MemoryStream(new byte[70 * 1024])));
        using var department = await fixture.Api.PostAsync(new Uri("/api/v1/departments", UriKind.Relative), AdminApiFixture.Json(new { name = "HQ", parentId = 0 }));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeDepartment.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, department.StatusCode);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Bad_department_and_group_input_is_400_naming_the_field()
    {
        var member = await fixture.CreateUserAsync(fixture.Name("bg"));
        var cases = new (string Path, object Body, string Field)[]
        {
            ("/api/v1/departments", new { parentId = 0 }, "name"),
            ("/api/v1/departments", new { name = "Lab" }, "parentId"),
            ("/api/v1/departments", new { name = "Lab", parentId = 999999 }, "parentId"),
            ("/api/v1/groups", new { name = "g", creatorId = member, memberIds = new[] { member } }, "type"),
            ("/api/v1/groups", new { name = "g", creatorId = member, memberIds = new[] { member }, type = "secret" }, "type"),
            ("/api/v1/groups", new { name = "g", creatorId = 999999u, memberIds = new[] { member }, type = "normal" }, "creatorId"),
            ("/api/v1/groups", new { name = "g", creatorId = member, memberIds = new[] { member, 999999u }, type = "normal" }, "memberIds"),
            ("/api/v1/groups", new { name = "g", creatorId = member, memberIds = Array.Empty<uint>(), type = "normal" }, "memberIds"),
        };

        foreach (var (path, body, field) in cases)
        {
            using var response = await fixture.Api.PostAsync(new Uri(path, UriKind.Relative), AdminApiFixture.Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(field + ":", await ErrorAsync(response), StringComparison.Ordinal);
        }
    }

    private static HttpRequestMessage Request(string method, string path, string body) =>
        new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : AdminApiFixture.Raw(body) };

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    private async Task<long> UserCountAsync()
    {
        await using var connection = new MySqlConnector.MySqlConnection(fixture.Cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand("SELECT COUNT(*) FROM IMUser", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
