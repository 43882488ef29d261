using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MySqlConnector;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// One silo and one gateway whose back-office listener serves the admin console, with session keys in a temporary
/// directory, and whose HTTP port serves the web client (for the browser tests of both). Administrators: <c>admin</c>
/// as the original's stock <c>ttopen.sql</c> row holds it (password "admin", stored as the PHP admin stored it), and
/// <c>ops</c> made by <c>Admin set-admin</c>.
/// </summary>
public sealed class AdminConsoleFixture : IAsyncLifetime
{
    public const string Key = "e2e-console-key-0123456789abcdef";

    /// <summary>The stock IMAdmin row of the original's ttopen.sql: md5("admin") as lowercase hex.</summary>
    public const string StockAdminPasswordHash = "21232f297a57a5a743894a0e4a801fc3";

    public const string OpsPassword = "ops-Pa55word";

    private readonly string keysDirectory = Path.Combine(Path.GetTempPath(), $"tt-console-keys-{Guid.NewGuid():N}");
    private int nextName;

    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    internal Uri BaseAddress { get; private set; } = null!;

    /// <summary>The web client at / on the gateway's HTTP port.</summary>
    internal Uri WebAddress => new($"http://127.0.0.1:{Gateway.HttpPort}/");

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        await using (var connection = new MySqlConnection(Cluster.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new MySqlCommand("INSERT INTO IMAdmin (id, uname, pwd, status, created, updated) VALUES (1, 'admin', @pwd, 0, 0, 0)", connection);
            insert.Parameters.AddWithValue("@pwd", StockAdminPasswordHash);
            await insert.ExecuteNonQueryAsync();
        }

        var passwordFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(passwordFile, OpsPassword + "\n");
        var run = await AdminTool.RunAsync("set-admin", "--db", Cluster.Database.ConnectionString, "--name", "ops", "--password-file", passwordFile);
        File.Delete(passwordFile);
        Assert.True(run.ExitCode == 0, run.Output + run.Errors);

        var adminPort = FreePorts.Next();
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync(new Dictionary<string, string>
        {
            ["TeamTalk:Gateway:AdminHttpPort"] = adminPort.ToString(CultureInfo.InvariantCulture),
            ["TeamTalk:Gateway:AdminApiKeys:0"] = Key,
            ["TeamTalk:Gateway:AdminConsoleKeysDirectory"] = keysDirectory,
            ["TeamTalk:Gateway:AdminDashboardUrl"] = "http://127.0.0.1:8090/dashboard",
            ["TeamTalk:Gateway:WebClient:Directory"] = WebSocketFixture.WebDist,
        });
        BaseAddress = new Uri($"http://127.0.0.1:{adminPort}");
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (Directory.Exists(keysDirectory))
        {
            Directory.Delete(keysDirectory, recursive: true);
        }
    }

    /// <summary>A fresh name from <paramref name="role"/>.</summary>
    internal string Name(string role) => string.Create(CultureInfo.InvariantCulture, $"{role}{Interlocked.Increment(ref nextName)}");

    /// <summary>A browser-like client of the console: its own cookies, redirects not followed.</summary>
    internal ConsoleClient NewClient() => new(BaseAddress);

    /// <summary>A client logged in as <c>ops</c>.</summary>
    internal async Task<ConsoleClient> LoggedInAsync()
    {
        var client = NewClient();
        using var response = await client.LoginAsync("ops", OpsPassword);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class AdminConsoleCollection : ICollectionFixture<AdminConsoleFixture>
{
    public const string Name = "admin console cluster";
}

/// <summary>What a browser does with the console: keeps cookies, reads the antiforgery token from a page's form and posts forms.</summary>
internal sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient http;

    public ConsoleClient(Uri baseAddress)
    {
        http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>The page's body; asserts 200.</summary>
    public async Task<string> PageAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>The antiforgery token of the first form on <paramref name="path"/>.</summary>
    public async Task<string> TokenAsync(string path)
    {
        var match = TokenField().Match(await PageAsync(path));
        Assert.True(match.Success, $"GET {path}: no antiforgery field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form as is (no token added).</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));

    /// <summary>Posts a form with the token of the page <paramref name="formPage"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string formPage, string path, params (string Name, string Value)[] fields)
    {
        var token = await TokenAsync(formPage);
        return await PostRawAsync(path, [new("__csrf", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
    }

    public Task<HttpResponseMessage> LoginAsync(string name, string password) =>
        PostAsync("/admin/login", "/admin/login", ("name", name), ("password", password));

    /// <summary>Posts a form and returns the redirect's location (asserting a 303); the flash message is in its query.</summary>
    public async Task<string> SubmitAsync(string formPage, string path, params (string Name, string Value)[] fields)
    {
        using var response = await PostAsync(formPage, path, fields);
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var location = Uri.UnescapeDataString(response.Headers.Location!.OriginalString);
        Assert.DoesNotContain("?error=", location, StringComparison.Ordinal);
        return location;
    }

    /// <summary>The number after "id " in a flash message or the last path segment.</summary>
    public static uint CreatedId(string location)
    {
        var match = CreatedIdPattern().Match(location);
        Assert.True(match.Success, location);
        return uint.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex(@"\(id (\d+)\)")]
    private static partial Regex CreatedIdPattern();
}
