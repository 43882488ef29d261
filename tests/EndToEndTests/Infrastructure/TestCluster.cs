using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>A started silo: its process and ports (kept so it can be restarted on the same ports).</summary>
internal sealed record SiloHandle(ServerProcess Process, int SiloPort, int GatewayPort, int DashboardPort, int ManagementPort = 0);

/// <summary>A started gateway: its process and the ports clients use.</summary>
/// <remarks><see cref="ManagementPort"/> serves /metrics and /health/* (TeamTalk:Telemetry:Port).</remarks>
internal sealed record GatewayHandle(ServerProcess Process, int TcpPort, int HttpPort, int MsfsPort = 0, int FileTcpPort = 0, int ManagementPort = 0);

/// <summary>
/// A real cluster for one test class: a database of its own, silos and gateways started from the built executables
/// with configuration on the command line. Development profile: one silo, localhost clustering. Production profile:
/// ADO.NET clustering on MariaDB, any number of silos and gateways.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<SiloHandle> silos = [];
    private readonly List<GatewayHandle> gateways = [];
    private readonly string clusterId = $"e2e-{Guid.NewGuid():N}"[..16];
    private readonly bool ownsDatabase;

    private TestCluster(TestDatabase database, bool production, bool ownsDatabase)
    {
        Database = database;
        Production = production;
        this.ownsDatabase = ownsDatabase;
    }

    public TestDatabase Database { get; }

    public bool Production { get; }

    public IReadOnlyList<SiloHandle> Silos => silos;

    /// <summary>The blob store of every silo and gateway of the cluster (a temporary directory, deleted at the end).</summary>
    public string BlobDirectory => Path.Combine(Path.GetTempPath(), $"{clusterId}-files");

    public IReadOnlyList<GatewayHandle> Gateways => gateways;

    /// <summary>Settings every gateway of a test gets (short timeouts so that deadline tests are quick).</summary>
    public Dictionary<string, string> GatewaySettings { get; } = new()
    {
        ["TeamTalk:Gateway:LoginTimeout"] = "00:00:03",
        ["TeamTalk:Gateway:IdleTimeoutPc"] = "00:00:04",
        ["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:00:06",
        ["TeamTalk:Gateway:AnnouncePeriod"] = "00:00:00.500",
        ["TeamTalk:Gateway:KickGracePeriod"] = "00:00:01",
    };

    /// <summary>Extra settings every silo of a test gets (e.g. push providers pointed at a loopback fake).</summary>
    public Dictionary<string, string> SiloSettings { get; } = [];

    public static async Task<TestCluster> CreateAsync(bool production = false, TestDatabase? database = null) =>
        new(database ?? await TestDatabase.CreateAsync(), production, ownsDatabase: database is null);

    /// <summary>Starts a silo (on the ports of <paramref name="reuse"/> when restarting one) and waits until it serves.</summary>
    public async Task<SiloHandle> StartSiloAsync(SiloHandle? reuse = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var siloPort = reuse?.SiloPort ?? FreePorts.Next();
        var gatewayPort = reuse?.GatewayPort ?? FreePorts.Next();
        var dashboardPort = reuse?.DashboardPort ?? FreePorts.Next();
        var managementPort = reuse?.ManagementPort ?? FreePorts.Next();
        var settings = ClusterSettings();
        settings["TeamTalk:Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        settings["TeamTalk:Cluster:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        settings["TeamTalk:Dashboard:Port"] = dashboardPort.ToString(CultureInfo.InvariantCulture);
        settings["TeamTalk:Telemetry:Port"] = managementPort.ToString(CultureInfo.InvariantCulture);
        settings["TeamTalk:Directory:EntryLifetime"] = "00:00:04";
        settings["TeamTalk:Directory:RouteCacheLifetime"] = "00:00:01";
        foreach (var (key, value) in SiloSettings.Concat(extra ?? new Dictionary<string, string>()))
        {
            settings[key] = value;
        }

        var process = ServerProcess.Start($"silo{silos.Count}", TestSettings.SiloDll, settings);
        var handle = new SiloHandle(process, siloPort, gatewayPort, dashboardPort, managementPort);
        silos.Add(handle);
        await WaitUntilAsync(process, TimeSpan.FromSeconds(90), async () =>
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{dashboardPort}/health"));
            return response.IsSuccessStatusCode;
        });
        return handle;
    }

    /// <summary>Starts a gateway and waits until it accepts TCP and discovery names a live gateway.</summary>
    public async Task<GatewayHandle> StartGatewayAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var (settings, ports) = GatewayPortSettings();
        var managementPort = FreePorts.Next();
        settings["TeamTalk:Telemetry:Port"] = managementPort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in ClusterSettings())
        {
            settings[key] = value;
        }

        for (var i = 0; !Production && i < silos.Count; i++)
        {
            settings[$"TeamTalk:Cluster:SiloGatewayPorts:{i}"] = silos[i].GatewayPort.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var process = ServerProcess.Start($"gateway{gateways.Count}", TestSettings.GatewayDll, settings);
        var handle = ports with { Process = process, ManagementPort = managementPort };
        gateways.Add(handle);
        await WaitUntilGatewayServesAsync(handle);
        return handle;
    }

    /// <summary>
    /// Starts a silo that hosts a gateway in its process (<c>TeamTalk:Silo:HostGateway</c>): one process, listed among
    /// both the silos and the gateways; returns when the gateway serves.
    /// </summary>
    public async Task<(SiloHandle Silo, GatewayHandle Gateway)> StartNodeAsync()
    {
        var (settings, ports) = GatewayPortSettings();
        settings["TeamTalk:Silo:HostGateway"] = "true";
        var silo = await StartSiloAsync(extra: settings);
        var gateway = ports with { Process = silo.Process, ManagementPort = silo.ManagementPort };
        gateways.Add(gateway);
        await WaitUntilGatewayServesAsync(gateway);
        return (silo, gateway);
    }

    /// <summary>The settings every gateway gets and fresh ports for its listeners (the handle's process is set by the caller).</summary>
    private (Dictionary<string, string> Settings, GatewayHandle Ports) GatewayPortSettings()
    {
        var ports = new GatewayHandle(null!, FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var settings = new Dictionary<string, string>(GatewaySettings)
        {
            ["TeamTalk:Gateway:TcpPort"] = ports.TcpPort.ToString(CultureInfo.InvariantCulture),
            ["TeamTalk:Gateway:HttpPort"] = ports.HttpPort.ToString(CultureInfo.InvariantCulture),
            ["TeamTalk:Gateway:MsfsPort"] = ports.MsfsPort.ToString(CultureInfo.InvariantCulture),
            ["TeamTalk:Gateway:FileTcpPort"] = ports.FileTcpPort.ToString(CultureInfo.InvariantCulture),
        };
        return (settings, ports);
    }

    /// <summary>Waits until a gateway accepts TCP, discovery names a live gateway and a login is answered.</summary>
    private static async Task WaitUntilGatewayServesAsync(GatewayHandle handle) =>
        await WaitUntilAsync(handle.Process, TimeSpan.FromSeconds(90), async () =>
        {
            using (var probe = new TcpClient())
            {
                await probe.ConnectAsync("127.0.0.1", handle.TcpPort);
            }

            var discovery = await DiscoverAsync(handle);
            if (discovery.RootElement.GetProperty("code").GetInt32() != 0)
            {
                return false;
            }

            // Warm the path a login takes (cluster client, login grain and its storage, MariaDB) before any test counts
            // on the 3 s login deadline: on a cold cluster under load, the very first login can take longer than that.
            // A name that is no user gets an answer (result 6) without touching any user's state.
            await using var client = await TeamTalkClient.ConnectAsync("127.0.0.1", handle.TcpPort);
            var (reply, _) = await client.LoginAsync("tt-warm-up", "-", ClientType.Windows, TimeSpan.FromSeconds(3));
            return reply is not null;
        });

    /// <summary>SIGKILLs silo <paramref name="index"/> (no shutdown, as a crash); returns when the signal was sent.</summary>
    public DateTime KillSilo(int index)
    {
        silos[index].Process.Kill();
        return DateTime.UtcNow;
    }

    /// <summary>GET /msg_server on a gateway.</summary>
    public static async Task<JsonDocument> DiscoverAsync(GatewayHandle gateway)
    {
        var body = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/msg_server"));
        return JsonDocument.Parse(body);
    }

    /// <summary>Every error line logged by any server of the cluster.</summary>
    public IReadOnlyList<string> ErrorLines() =>
        [.. silos.SelectMany(s => s.Process.Errors().Select(l => $"{s.Process.Name}: {l}"))
            .Concat(OwnGateways().SelectMany(g => g.Process.Errors().Select(l => $"{g.Process.Name}: {l}")))];

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in OwnGateways())
        {
            await gateway.Process.DisposeAsync();
        }

        foreach (var silo in silos)
        {
            await silo.Process.DisposeAsync();
        }

        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }

        if (Directory.Exists(BlobDirectory))
        {
            Directory.Delete(BlobDirectory, recursive: true);
        }
    }

    /// <summary>The gateways with a process of their own (not hosted by a silo).</summary>
    private IEnumerable<GatewayHandle> OwnGateways() => gateways.Where(g => !silos.Exists(s => s.Process == g.Process));

    private Dictionary<string, string> ClusterSettings() => new()
    {
        ["TeamTalk:Cluster:Profile"] = Production ? "Production" : "Development",
        ["TeamTalk:Cluster:ClusterId"] = clusterId,
        ["TeamTalk:Cluster:ServiceId"] = clusterId,
        ["TeamTalk:Database:ConnectionString"] = Database.ConnectionString,
        ["TeamTalk:Blobs:Directory"] = BlobDirectory,
    };

    private static async Task WaitUntilAsync(ServerProcess process, TimeSpan timeout, Func<Task<bool>> ready)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited during start-up; log: {process.LogPath}\n{string.Join('\n', process.Output.TakeLast(40))}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                // Not up yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{process.Name} did not become ready within {timeout}; log: {process.LogPath}\n{string.Join('\n', process.Output.TakeLast(40))}");
    }
}
