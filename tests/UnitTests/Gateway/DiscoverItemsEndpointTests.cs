using System.Text;
using System.Text.Json;
using TeamTalk.Orleans.Gateway.Http;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Gateway;

public sealed class DiscoverItemsEndpointTests
{
    [Fact]
    public void Items_render_as_the_original_s_array_of_rows_without_id_status_and_times()
    {
        var body = DiscoverItemsEndpoint.Render(
        [
            new DiscoverItem(4, "Wiki", "https://wiki.example.com/", 3, 0, 1_700_000_000, 1_700_000_100),
            new DiscoverItem(9, "食堂 <menu>", "http://intra.example.com/menu?a=1&b=2", 0, 0, 1, 2),
        ]);

        using var json = JsonDocument.Parse(body);
        var items = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        foreach (var item in items)
        {
            Assert.Equal(["itemName", "itemUrl", "itemPriority"], item.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.String, item.GetProperty("itemPriority").ValueKind);
        }

        Assert.Equal(("Wiki", "https://wiki.example.com/", "3"), (items[0].GetProperty("itemName").GetString(), items[0].GetProperty("itemUrl").GetString(), items[0].GetProperty("itemPriority").GetString()));
        Assert.Equal(("食堂 <menu>", "http://intra.example.com/menu?a=1&b=2", "0"), (items[1].GetProperty("itemName").GetString(), items[1].GetProperty("itemUrl").GetString(), items[1].GetProperty("itemPriority").GetString()));

        // Escaped as PHP's json_encode escapes (non-ASCII and HTML-sensitive characters), so the text is plain ASCII.
        Assert.All(body, b => Assert.True(b < 0x80));
        Assert.DoesNotContain("<", Encoding.ASCII.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public void No_items_render_as_an_empty_array()
    {
        Assert.Equal("[]", Encoding.UTF8.GetString(DiscoverItemsEndpoint.Render([])));
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("Wiki", "https://wiki.example.com/", 1u, 0u)]
    [InlineData(null, "http://a.example/", null, 1u)]
    public void Valid_fields_pass(string? name, string? url, uint? priority, uint? status) =>
        Assert.Null(new DiscoverItemFields(name, url, priority, status).Check());

    [Theory]
    [InlineData("", null, null, "name:")]
    [InlineData("   ", null, null, "name:")]
    [InlineData(null, "ftp://files.example.com/", null, "url:")]
    [InlineData(null, "javascript:alert(1)", null, "url:")]
    [InlineData(null, "/relative", null, "url:")]
    [InlineData(null, "https://example.com/a-path-that-is-far-too-long-for-the-original-column-of-64", null, "url:")]
    [InlineData(null, null, 2u, "status:")]
    public void Invalid_fields_are_named(string? name, string? url, uint? status, string field) =>
        Assert.StartsWith(field, new DiscoverItemFields(name, url, null, status).Check(), StringComparison.Ordinal);
}
