using System.Globalization;
using System.Net;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.LoadGen.Cli;

/// <summary>Options every scenario shares: where the server is, which users, how many processes, what to measure.</summary>
internal sealed record CommonOptions
{
    public const string DefaultDiscovery = "http://127.0.0.1:8080/msg_server";

    /// <summary>Discovery URL asked before every login (null when <see cref="Tcp"/> is set).</summary>
    public Uri? Discovery { get; init; }

    /// <summary>Fixed TeamTalk TCP endpoint (no discovery).</summary>
    public IPEndPoint? Tcp { get; init; }

    public string Prefix { get; init; } = "lg";

    public string Password { get; init; } = "teamtalk";

    /// <summary>Number of the first user (lg&lt;first&gt;).</summary>
    public int FirstUser { get; init; } = 1;

    public ClientType ClientType { get; init; } = ClientType.Android;

    /// <summary>Source addresses 127.0.0.1 … 127.0.0.N, connection i using 127.0.0.(1 + i mod N).</summary>
    public int SourceAddresses { get; init; } = 1;

    /// <summary>Processes that hold the connections (1: this process; more: workers re-launched from this one).</summary>
    public int Processes { get; init; } = 1;

    /// <summary>Set in a worker process: its number and the number of workers.</summary>
    public int WorkerIndex { get; init; }

    public int WorkerCount { get; init; } = 1;

    /// <summary>Logins in flight at once per process.</summary>
    public int LoginConcurrency { get; init; } = 64;

    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Heartbeat period of every connection (the original clients send one every 30 s… mobile less often).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);

    public string? JsonPath { get; init; }

    public List<ServerProcess> Pids { get; init; } = [];

    public bool DiscoverPids { get; init; }

    /// <summary>MySQL connection string (seeding, group setup, history fill, ceiling).</summary>
    public string? Db { get; init; }

    /// <summary>Users lg1..lgN to create before the run (0: none).</summary>
    public int Seed { get; init; }

    public string Department { get; init; } = "Load test";

    public bool AllowRemote { get; init; }

    public bool Quiet { get; init; }

    /// <summary>A short label for reports.</summary>
    public string? Label { get; init; }

    public bool IsWorker => WorkerCount > 1;

    public string UserName(int index) => Prefix + (FirstUser + index).ToString(CultureInfo.InvariantCulture);

    public IPAddress SourceAddress(int connectionIndex) =>
        new([127, 0, 0, (byte)(1 + (connectionIndex % SourceAddresses))]);

    public static CommonOptions Parse(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var allowRemote = args.Flag("allow-remote");
        var tcpText = args.String("tcp");
        var discoveryText = args.String("discovery");
        if (tcpText is not null && discoveryText is not null)
        {
            throw new UsageException("give either --tcp HOST:PORT or --discovery URL, not both");
        }

        IPEndPoint? tcp = null;
        Uri? discovery = null;
        if (tcpText is not null)
        {
            tcp = IPEndPoint.TryParse(tcpText, out var ep) && ep.Port != 0
                ? ep
                : throw new UsageException($"--tcp: '{tcpText}' is not IPv4:PORT (e.g. 127.0.0.1:8000)");
            RequireLoopback(tcp.Address, "--tcp", allowRemote);
        }
        else
        {
            discoveryText ??= DefaultDiscovery;
            if (!Uri.TryCreate(discoveryText, UriKind.Absolute, out discovery) || discovery.Scheme != Uri.UriSchemeHttp)
            {
                throw new UsageException($"--discovery: '{discoveryText}' is not an http:// URL");
            }

            if (!allowRemote && !(IPAddress.TryParse(discovery.Host, out var host) && IPAddress.IsLoopback(host)) && discovery.Host != "localhost")
            {
                throw new UsageException($"--discovery: {discovery.Host} is not a loopback address (pass --allow-remote for your own deployment)");
            }
        }

        var clientTypeText = args.String("client-type", "android").ToLowerInvariant();
        var clientType = clientTypeText switch
        {
            "android" => ClientType.Android,
            "ios" => ClientType.Ios,
            "windows" => ClientType.Windows,
            "mac" => ClientType.Mac,
            _ => throw new UsageException($"--client-type: '{clientTypeText}' is not android, ios, windows or mac"),
        };

        var prefix = args.String("prefix", "lg");
        var workerCount = args.Int("worker-count", 1, 1, 64);
        var options = new CommonOptions
        {
            Discovery = discovery,
            Tcp = tcp,
            Prefix = prefix,
            Password = args.String("password", "teamtalk"),
            FirstUser = args.Int("first-user", 1, 0, 100_000_000),
            ClientType = clientType,
            SourceAddresses = args.Int("source-addresses", 8, 1, 254),
            Processes = args.Int("processes", 1, 1, 64),
            WorkerIndex = args.Int("worker-index", 0, 0, workerCount - 1),
            WorkerCount = workerCount,
            LoginConcurrency = args.Int("login-concurrency", 64, 1, 10_000),
            LoginTimeout = args.Duration("login-timeout", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            Heartbeat = args.Duration("heartbeat", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
            JsonPath = args.String("json"),
            Pids = args.String("pids") is { } pids ? ServerProcesses.Parse(pids) : [],
            DiscoverPids = args.Flag("discover-pids"),
            Db = args.String("db"),
            Seed = args.Int("seed", 0, 0, 1_000_000),
            Department = args.String("department", "Load test"),
            AllowRemote = allowRemote,
            Quiet = args.Flag("quiet"),
            Label = args.String("label"),
        };
        if (options.Seed > 0 && options.Db is null)
        {
            throw new UsageException("--seed needs --db (the TeamTalk MySQL database to create the users in)");
        }

        if (options.Pids.Count > 0 && options.DiscoverPids)
        {
            throw new UsageException("give either --pids or --discover-pids, not both");
        }

        if (options.UserName(0).Length > 32)
        {
            throw new UsageException("--prefix is too long for IMUser.name (32 characters)");
        }

        return options;
    }

    private static void RequireLoopback(IPAddress address, string option, bool allowRemote)
    {
        if (!allowRemote && !IPAddress.IsLoopback(address))
        {
            throw new UsageException($"{option}: {address} is not a loopback address (pass --allow-remote for your own deployment)");
        }
    }
}
