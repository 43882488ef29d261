using System.CommandLine;
using System.Globalization;
using System.Net;
using TeamTalk.Orleans.CommandLine;
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

    private static readonly Option<string?> DiscoveryOption = CliOptions.Text("--discovery", $"HTTP discovery asked before each login (default {DefaultDiscovery})");
    private static readonly Option<string?> TcpOption = CliOptions.Text("--tcp", "connect straight to a TeamTalk TCP address HOST:PORT instead of discovery");
    private static readonly Option<string> PrefixOption = CliOptions.Text("--prefix", "lg", "user name prefix: scenario user i is <prefix><first-user + i>");
    private static readonly Option<int> FirstUserOption = CliOptions.Count("--first-user", 1, 0, 100_000_000, "number of the first user");
    private static readonly Option<string> PasswordOption = CliOptions.Text("--password", "teamtalk", "plain password of every user");
    private static readonly Option<string> ClientTypeOption = CliOptions.Text("--client-type", "android", "android|ios|windows|mac (PC logins broadcast presence)");
    private static readonly Option<int> SourceAddressesOption = CliOptions.Count("--source-addresses", 8, 1, 254, "connect from 127.0.0.1 … 127.0.0.N");
    private static readonly Option<int> ProcessesOption = CliOptions.Count("--processes", 1, 1, 64, "spread the connections over K worker processes (per-process open-file limit)");
    private static readonly Option<int> WorkerCountOption = Hidden(CliOptions.Count("--worker-count", 1, 1, 64, "set by the coordinator in a worker process"));
    private static readonly Option<int> WorkerIndexOption = Hidden(CliOptions.Count("--worker-index", 0, 0, 63, "set by the coordinator in a worker process"));
    private static readonly Option<int> LoginConcurrencyOption = CliOptions.Count("--login-concurrency", 64, 1, 10_000, "logins in flight per process");
    private static readonly Option<TimeSpan> LoginTimeoutOption = CliOptions.Duration("--login-timeout", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), "longest wait for a login reply");
    private static readonly Option<TimeSpan> HeartbeatOption = CliOptions.Duration("--heartbeat", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "heartbeat period of every connection");
    private static readonly Option<string?> JsonOption = CliOptions.Text("--json", "write every figure as JSON to this file");
    private static readonly Option<string?> PidsOption = CliOptions.Text("--pids", "silo=P,gateway=P,mariadb=P,redis=P: server processes whose CPU (/proc utime+stime) and RSS are measured");
    private static readonly Option<bool> DiscoverPidsOption = CliOptions.Flag("--discover-pids", "find the server processes by command line instead of --pids");
    private static readonly Option<string?> DbOption = CliOptions.Text("--db", "MySQL connection string (seeding, group setup, history fill, ceiling)");
    private static readonly Option<int> SeedOption = CliOptions.Count("--seed", 0, 0, 1_000_000, "create users <prefix><first-user>.. first (idempotent; needs --db)");
    private static readonly Option<string> DepartmentOption = CliOptions.Text("--department", "Load test", "department of seeded users");
    private static readonly Option<bool> AllowRemoteOption = CliOptions.Flag("--allow-remote", "allow non-loopback targets (operators' own deployments only)");
    private static readonly Option<bool> QuietOption = CliOptions.Flag("--quiet", "no live line");
    private static readonly Option<string?> LabelOption = CliOptions.Text("--label", "a short label for reports");

    /// <summary>The options every scenario and tool command takes.</summary>
    public static IReadOnlyList<Option> All =>
    [
        DiscoveryOption, TcpOption, PrefixOption, FirstUserOption, PasswordOption, ClientTypeOption, SourceAddressesOption,
        ProcessesOption, WorkerCountOption, WorkerIndexOption, LoginConcurrencyOption, LoginTimeoutOption, HeartbeatOption,
        JsonOption, PidsOption, DiscoverPidsOption, DbOption, SeedOption, DepartmentOption, AllowRemoteOption, QuietOption, LabelOption,
    ];

    /// <summary>Reads the common options of a parsed command line and checks how they combine.</summary>
    public static CommonOptions From(ParseResult args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var allowRemote = args.GetValue(AllowRemoteOption);
        var tcpText = args.GetValue(TcpOption);
        var discoveryText = args.GetValue(DiscoveryOption);
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

        var clientTypeText = args.GetValue(ClientTypeOption)!.ToLowerInvariant();
        var clientType = clientTypeText switch
        {
            "android" => ClientType.Android,
            "ios" => ClientType.Ios,
            "windows" => ClientType.Windows,
            "mac" => ClientType.Mac,
            _ => throw new UsageException($"--client-type: '{clientTypeText}' is not android, ios, windows or mac"),
        };

        var workerCount = args.GetValue(WorkerCountOption);
        var workerIndex = args.GetValue(WorkerIndexOption);
        if (workerIndex >= workerCount)
        {
            throw new UsageException($"--worker-index must be below --worker-count ({workerCount}), not {workerIndex}");
        }

        var options = new CommonOptions
        {
            Discovery = discovery,
            Tcp = tcp,
            Prefix = args.GetValue(PrefixOption)!,
            Password = args.GetValue(PasswordOption)!,
            FirstUser = args.GetValue(FirstUserOption),
            ClientType = clientType,
            SourceAddresses = args.GetValue(SourceAddressesOption),
            Processes = args.GetValue(ProcessesOption),
            WorkerIndex = workerIndex,
            WorkerCount = workerCount,
            LoginConcurrency = args.GetValue(LoginConcurrencyOption),
            LoginTimeout = args.GetValue(LoginTimeoutOption),
            Heartbeat = args.GetValue(HeartbeatOption),
            JsonPath = args.GetValue(JsonOption),
            Pids = args.GetValue(PidsOption) is { } pids ? ServerProcesses.Parse(pids) : [],
            DiscoverPids = args.GetValue(DiscoverPidsOption),
            Db = args.GetValue(DbOption),
            Seed = args.GetValue(SeedOption),
            Department = args.GetValue(DepartmentOption)!,
            AllowRemote = allowRemote,
            Quiet = args.GetValue(QuietOption),
            Label = args.GetValue(LabelOption),
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

    private static Option<int> Hidden(Option<int> option)
    {
        option.Hidden = true;
        return option;
    }

    private static void RequireLoopback(IPAddress address, string option, bool allowRemote)
    {
        if (!allowRemote && !IPAddress.IsLoopback(address))
        {
            throw new UsageException($"{option}: {address} is not a loopback address (pass --allow-remote for your own deployment)");
        }
    }
}
