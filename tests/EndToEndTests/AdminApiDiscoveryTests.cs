using System.Net;
using System.Text.Json;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Discover items made and changed over the back-office API are what <c>GET /api/discovery</c> (the URL discovery hands
/// out) answers at once, in the original's shape; hidden items are left out; bad fields are 400, unknown ids 404.
/// </summary>
[Collection(AdminApiCollection.Name)]
public sealed class AdminApiDiscoveryTests(AdminApiFixture fixture)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Items_made_over_the_api_are_served_at_the_discovery_url_in_the_original_shape_until_hidden()
    {
        var discovery = await TestCluster.DiscoverAsync(fixture.Gateway);
        var url = new Uri(discovery.RootElement.GetProperty("discovery").GetString()!);
        Assert.Equal(new Uri($"http://127.0.0.1:{fixture.Gateway.HttpPort}/api/discovery"), url);

        var name = fixture.Name("Wiki");
        using var created = await fixture.Api.PostAsync(
            new Uri("/api/v1/discovery", UriKind.Relative),
            AdminApiFixture.Json(new { name, url = "https://wiki.example.com/", priority = 5 }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await AdminApiFixture.ReadAsync(created)).GetProperty("id").GetUInt32();
        Assert.Equal($"/api/v1/discovery/{id}", created.Headers.Location?.ToString());

        var served = await ItemAsync(url, name);
        Assert.NotNull(served);
        Assert.Equal(["itemName", "itemUrl", "itemPriority"], served.Value.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://wiki.example.com/", served.Value.GetProperty("itemUrl").GetString());
        Assert.Equal("5", served.Value.GetProperty("itemPriority").GetString());

        using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/v1/discovery/{id}", UriKind.Relative))
        {
            Content = AdminApiFixture.Json(new { priority = 7 }),
        };
        var changed = await AdminApiFixture.ReadAsync(await fixture.Api.SendAsync(patch));
        Assert.Equal((7u, 0u, name), (changed.GetProperty("priority").GetUInt32(), changed.GetProperty("status").GetUInt32(), changed.GetProperty("name").GetString()));
        Assert.Equal("7", (await ItemAsync(url, name))?.GetProperty("itemPriority").GetString());

        using var hidden = await fixture.Api.DeleteAsync(new Uri($"/api/v1/discovery/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, hidden.StatusCode);
        Assert.Null(await ItemAsync(url, name));
        var row = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri($"/api/v1/discovery/{id}", UriKind.Relative)));
        Assert.Equal(1u, row.GetProperty("status").GetUInt32());
        var all = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri("/api/v1/discovery", UriKind.Relative)));
        Assert.Contains(all.EnumerateArray(), item => item.GetProperty("id").GetUInt32() == id);
    }

    [Fact]
    public async Task Bad_fields_are_400_unknown_ids_404_and_the_routes_are_in_the_openapi_document()
    {
        using var noUrl = await fixture.Api.PostAsync(new Uri("/api/v1/discovery", UriKind.Relative), AdminApiFixture.Json(new { name = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, noUrl.StatusCode);
        using var badUrl = await fixture.Api.PostAsync(new Uri("/api/v1/discovery", UriKind.Relative), AdminApiFixture.Json(new { name = "x", url = "javascript:alert(1)" }));
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.StatusCode);
        Assert.Contains("url:", await badUrl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var missing = await fixture.Api.DeleteAsync(new Uri("/api/v1/discovery/999999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var anonymous = await fixture.Anonymous.GetAsync(new Uri("/api/v1/discovery", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var openApi = await AdminApiFixture.ReadAsync(await fixture.Api.GetAsync(new Uri("/api/v1/openapi.json", UriKind.Relative)));
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/discovery", out _) || paths.TryGetProperty("/api/v1/discovery/", out _), "the OpenAPI document lists /api/v1/discovery");
        Assert.True(paths.TryGetProperty("/api/v1/discovery/{id}", out _), "the OpenAPI document lists /api/v1/discovery/{id}");
    }

    /// <summary>The served item named <paramref name="name"/>, or null.</summary>
    private static async Task<JsonElement?> ItemAsync(Uri url, string name)
    {
        using var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal(JsonValueKind.Array, items.ValueKind);
        foreach (var item in items.EnumerateArray())
        {
            if (item.GetProperty("itemName").GetString() == name)
            {
                return item;
            }
        }

        return null;
    }
}
