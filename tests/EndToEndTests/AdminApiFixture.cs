using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// One silo and one gateway (development profile) whose back-office API listens on a port of its own with one key,
/// and a department made over the API. Each test uses names of its own.
/// </summary>
public sealed class AdminApiFixture : IAsyncLifetime
{
    public const string Key = "e2e-admin-key-0123456789abcdef";

    private int nextName;

    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    internal int AdminPort { get; private set; }

    /// <summary>A client of the back-office port that sends the key.</summary>
    internal HttpClient Api { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client of the back-office port that sends no key.</summary>
    internal HttpClient Anonymous { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The department made at start.</summary>
    internal uint DepartmentId { get; private set; }

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        AdminPort = FreePorts.Next();
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync(new Dictionary<string, string>
        {
            ["TeamTalk:Gateway:AdminHttpPort"] = AdminPort.ToString(CultureInfo.InvariantCulture),
            ["TeamTalk:Gateway:AdminApiKeys:0"] = Key,
        });
        Api.BaseAddress = Anonymous.BaseAddress = new Uri($"http://127.0.0.1:{AdminPort}");
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var created = await Api.PostAsync(new Uri("/api/v1/departments", UriKind.Relative), Json(new { name = "HQ", parentId = 0, priority = 1 }));
        DepartmentId = (await ReadAsync(created)).GetProperty("id").GetUInt32();
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        Anonymous.Dispose();
        await Cluster.DisposeAsync();
    }

    /// <summary>A fresh name from <paramref name="role"/>.</summary>
    internal string Name(string role) => string.Create(CultureInfo.InvariantCulture, $"{role}{Interlocked.Increment(ref nextName)}");

    internal static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    internal static StringContent Raw(string body) => new(body, Encoding.UTF8, "application/json");

    internal static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates a user over the API (password "teamtalk", the fixture's department); returns its id.</summary>
    internal async Task<uint> CreateUserAsync(string name)
    {
        using var response = await Api.PostAsync(
            new Uri("/api/v1/users", UriKind.Relative),
            Json(new { name, password = TestDatabase.Password, nick = name.ToUpperInvariant(), departmentId = DepartmentId }));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response)).GetProperty("id").GetUInt32();
    }
}

[CollectionDefinition(Name)]
public sealed class AdminApiCollection : ICollectionFixture<AdminApiFixture>
{
    public const string Name = "admin api cluster";
}
