using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Cluster;
using TeamTalk.Orleans.Gateway.Http;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Gateway;

public sealed class DiscoveryEndpointTests
{
    private static readonly string[] SuccessKeys = ["backupIP", "code", "discovery", "msfsBackup", "msfsPrior", "msg", "port", "priorIP"];
    private static readonly string[] FailureKeys = ["code", "msg"];

    private readonly GatewayOptions options = new()
    {
        TcpPort = 8000,
        AnnouncePeriod = TimeSpan.FromSeconds(5),
        MsfsUrl = "http://10.0.0.9:8700/",
        DiscoveryUrl = "http://10.0.0.9/api/discovery",
    };

    private readonly FakeTimeProvider time = new();
    private readonly TestGateway connections = new();
    private readonly LiveGateways live;
    private readonly GatewayIdentity identity;
    private readonly DiscoveryEndpoint endpoint;

    public DiscoveryEndpointTests()
    {
        live = new LiveGateways(time);
        identity = new GatewayIdentity(options);
        endpoint = new DiscoveryEndpoint(live, connections.Registry, identity, Options.Create(options));
    }

    private static GatewayInfo Gateway(string id, int load, int max = 100, int port = 8000) =>
        new(id, $"10.1.0.{id.Length}", $"fd00::{id.Length}", port, load, max);

    private static List<JsonProperty> Properties(byte[] body, out JsonElement root)
    {
        using var document = JsonDocument.Parse(body);
        root = document.RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        return [.. root.EnumerateObject()];
    }

    // ---- Choose ----

    [Fact]
    public void No_gateway_known_gives_code_1()
    {
        Assert.Equal((null, 1), endpoint.Choose());
        live.Update([]);
        Assert.Equal((null, 1), endpoint.Choose());
    }

    [Fact]
    public void Picks_the_least_loaded_gateway_that_is_below_its_maximum()
    {
        var a = Gateway("a", 10);
        var b = Gateway("bb", 3);
        var full = Gateway("ccc", 1, max: 1);
        var over = Gateway("dddd", 0, max: 0);
        live.Update([a, full, b, over]);

        Assert.Equal((b, 0), endpoint.Choose());
    }

    [Fact]
    public void Ties_go_to_the_first_listed()
    {
        var a = Gateway("a", 4);
        var b = Gateway("bb", 4);
        live.Update([a, b]);
        Assert.Equal((a, 0), endpoint.Choose());
    }

    [Fact]
    public void All_gateways_at_or_over_their_maximum_gives_code_2()
    {
        live.Update([Gateway("a", 100, max: 100), Gateway("bb", 150, max: 100), Gateway("ccc", 1, max: 1)]);
        Assert.Equal((null, 2), endpoint.Choose());
    }

    [Fact]
    public void A_stale_gateway_list_counts_as_none()
    {
        var a = Gateway("a", 1);
        live.Update([a]);
        time.Advance(options.DiscoveryViewMaxAge);
        Assert.Equal((a, 0), endpoint.Choose());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal((null, 1), endpoint.Choose());
    }

    [Fact]
    public void Backup_is_the_next_least_loaded_live_gateway_on_the_same_port()
    {
        var a = Gateway("a", 1);
        var b = Gateway("bb", 5);
        var c = Gateway("ccc", 3);
        var otherPort = Gateway("dddd", 0, port: 8001);
        var full = Gateway("eeeee", 2, max: 2);
        live.Update([a, b, c, otherPort, full]);

        var choice = endpoint.Choose();
        Assert.Equal((otherPort, 0), choice);
        Assert.Null(endpoint.Backup(choice.Gateway));
        Assert.Equal(c, endpoint.Backup(a));

        Properties(endpoint.Render((a, 0), clientIsIPv4: true, endpoint.Backup(a)), out var root);
        Assert.Equal(a.Address, root.GetProperty("priorIP").GetString());
        Assert.Equal(c.Address, root.GetProperty("backupIP").GetString());
        Properties(endpoint.Render((a, 0), clientIsIPv4: false, endpoint.Backup(a)), out root);
        Assert.Equal(a.Address2, root.GetProperty("priorIP").GetString());
        Assert.Equal(c.Address2, root.GetProperty("backupIP").GetString());
    }

    [Fact]
    public void Without_a_second_gateway_backup_is_the_other_address_of_the_chosen_one()
    {
        var a = Gateway("a", 1);
        live.Update([a]);
        Assert.Null(endpoint.Backup(a));
        Properties(endpoint.Render((a, 0), clientIsIPv4: true, endpoint.Backup(a)), out var root);
        Assert.Equal(a.Address2, root.GetProperty("backupIP").GetString());
    }

    [Fact]
    public void Own_load_is_taken_from_the_registry_not_the_last_announcement()
    {
        var own = new GatewayInfo(identity.Id, "10.2.0.1", "10.2.0.2", 8000, 50, 100);
        var other = Gateway("other", 3);
        live.Update([other, own]);

        // Announced 50, but nobody is logged in here now.
        var (chosen, code) = endpoint.Choose();
        Assert.Equal(0, code);
        Assert.Equal(own with { LoggedInConnections = 0 }, chosen);

        for (var i = 1; i <= 5; i++)
        {
            connections.Connect().LoggedIn((uint)i, DeviceType.Windows);
        }

        Assert.Equal(5, connections.Registry.LoggedInCount);
        Assert.Equal((other, 0), endpoint.Choose());
    }

    [Fact]
    public void Own_gateway_full_by_registry_is_skipped()
    {
        var own = new GatewayInfo(identity.Id, "10.2.0.1", "10.2.0.2", 8000, 0, 1);
        live.Update([own]);
        Assert.Equal(0, endpoint.Choose().Code);
        connections.Connect().LoggedIn(7, DeviceType.Android);
        Assert.Equal((null, 2), endpoint.Choose());
    }

    // ---- Render ----

    [Fact]
    public void Success_has_exactly_the_original_keys_in_alphabetical_order_with_numeric_code_and_string_port()
    {
        var gateway = new GatewayInfo("g", "192.168.1.10", "fd00::10", 8000, 0, 10);
        var body = endpoint.Render((gateway, 0), clientIsIPv4: true);
        var properties = Properties(body, out var root);

        Assert.Equal(SuccessKeys, properties.Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("code").ValueKind);
        Assert.Equal(0, root.GetProperty("code").GetInt32());
        Assert.All(properties.Where(p => p.Name != "code"), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal("8000", root.GetProperty("port").GetString());
        Assert.Equal(string.Empty, root.GetProperty("msg").GetString());
        Assert.Equal("192.168.1.10", root.GetProperty("priorIP").GetString());
        Assert.Equal("fd00::10", root.GetProperty("backupIP").GetString());
        Assert.Equal(options.MsfsUrl, root.GetProperty("msfsPrior").GetString());
        Assert.Equal(options.MsfsUrl, root.GetProperty("msfsBackup").GetString());
        Assert.Equal(options.DiscoveryUrl, root.GetProperty("discovery").GetString());
        Assert.Equal((byte)'\n', body[^1]);
    }

    [Theory]
    [InlineData("10.20.30.40", "http://10.20.30.40:8700/", "http://10.20.30.40:8080/api/discovery")]
    [InlineData("chat.example.com", "http://chat.example.com:8700/", "http://chat.example.com:8080/api/discovery")]
    [InlineData("2001:db8::5", "http://[2001:db8::5]:8700/", "http://[2001:db8::5]:8080/api/discovery")]
    public void Without_configured_URLs_msfs_and_discovery_follow_the_advertised_address(string advertised, string msfs, string discovery)
    {
        var derived = new GatewayOptions { AdvertisedAddress = advertised };
        var rendering = new DiscoveryEndpoint(live, connections.Registry, identity, Options.Create(derived));
        var gateway = new GatewayInfo("g", advertised, advertised, 8000, 0, 10);

        Properties(rendering.Render((gateway, 0), clientIsIPv4: true), out var root);

        Assert.Equal(msfs, root.GetProperty("msfsPrior").GetString());
        Assert.Equal(msfs, root.GetProperty("msfsBackup").GetString());
        Assert.Equal(discovery, root.GetProperty("discovery").GetString());
        Assert.DoesNotContain("127.0.0.1", string.Join(' ', root.EnumerateObject().Select(p => p.Value.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_still_name_loopback()
    {
        var defaults = new GatewayOptions();
        Assert.Equal("http://127.0.0.1:8700/", defaults.MsfsUrlToAdvertise());
        Assert.Equal("http://127.0.0.1:8080/api/discovery", defaults.DiscoveryUrlToAdvertise());
    }

    [Fact]
    public void Non_IPv4_client_gets_the_addresses_swapped()
    {
        var gateway = new GatewayInfo("g", "192.168.1.10", "fd00::10", 8443, 0, 10);
        Properties(endpoint.Render((gateway, 0), clientIsIPv4: false), out var root);
        Assert.Equal("fd00::10", root.GetProperty("priorIP").GetString());
        Assert.Equal("192.168.1.10", root.GetProperty("backupIP").GetString());
        Assert.Equal("8443", root.GetProperty("port").GetString());
    }

    [Theory]
    [InlineData(1, "没有msg_server")]
    [InlineData(2, "负载过高")]
    public void Failure_has_numeric_code_and_an_unescaped_UTF8_message(int code, string message)
    {
        var body = endpoint.Render((null, code), clientIsIPv4: true);
        var properties = Properties(body, out var root);

        Assert.Equal(FailureKeys, properties.Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("code").ValueKind);
        Assert.Equal(code, root.GetProperty("code").GetInt32());
        Assert.Equal(message, root.GetProperty("msg").GetString());

        var text = Encoding.UTF8.GetString(body);
        Assert.Contains($"\"{message}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        Assert.True(body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(message)) > 0);
    }

    // ---- HandleAsync (headers and the client address test) ----

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("::ffff:203.0.113.7", true)]
    [InlineData("2001:db8::7", false)]
    [InlineData(null, true)]
    public async Task Response_carries_the_original_headers_and_chooses_addresses_by_client_family(string? remote, bool ipv4)
    {
        var gateway = new GatewayInfo("g", "192.168.1.10", "fd00::10", 8000, 0, 10);
        live.Update([gateway]);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        using var body = new MemoryStream();
        context.Response.Body = body;

        await endpoint.HandleAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("text/html;charset=utf-8", context.Response.ContentType);
        Assert.Equal("close", context.Response.Headers.Connection.ToString());
        Assert.Equal(body.Length, context.Response.ContentLength);
        Properties(body.ToArray(), out var root);
        Assert.Equal(0, root.GetProperty("code").GetInt32());
        Assert.Equal(ipv4 ? "192.168.1.10" : "fd00::10", root.GetProperty("priorIP").GetString());
    }

    [Fact]
    public async Task Response_without_gateways_is_code_1_with_status_200()
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await endpoint.HandleAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Properties(body.ToArray(), out var root);
        Assert.Equal(1, root.GetProperty("code").GetInt32());
    }
}
