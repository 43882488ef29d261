using System.CommandLine;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Scenarios;
using TeamTalk.Orleans.LoadGen.Tools;

namespace TeamTalk.Orleans.LoadGen.Cli;

/// <summary>
/// The load generator's command line: <c>loadgen COMMAND [options]</c>, one System.CommandLine command per scenario and
/// tool, each with the options every scenario shares (<see cref="CommonOptions"/>) and its own.
/// </summary>
internal static class LoadGenCommandLine
{
    /// <summary><c>seed --count N</c> (default: the value of --seed).</summary>
    public static readonly Option<int> SeedCount = CliOptions.Count("--count", 0, 1, 1_000_000, "users <prefix><first-user>.. to create (default: --seed)");

    /// <summary>Every command and option.</summary>
    public static RootCommand Root { get; } = Build();

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> on any mistake.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args) => CommandLineParser.Parse(Root, args);

    private static RootCommand Build()
    {
        var root = new RootCommand(
            "Load generator for TeamTalk-compatible servers (docs/benchmarks.md has the details). Scenarios are bounded in " +
            "time and count and target loopback only unless --allow-remote. `loadgen COMMAND --help` lists a command's options.")
        {
            Scenario("connect", "ramp to --connections logged-in connections, hold them with heartbeats; logins/s, login latency, gateway/silo RSS per connection", ConnectOptions.All),
            Scenario("chat", "1:1 text between the two users of each pair at --rate msgs/s each (open loop) or flat-out (--rate 0, closed loop); ack and delivery latency, msgs/s, loss, server CPU per delivered message", ChatOptions.All),
            Scenario("group", "group text; deliveries/s and fan-out latency (exit code 3 when the server does not serve it)", GroupOptions.All),
            Scenario("mixed", "1:1 and group chat, history pages, unread counts, recent sessions, logout/login, at random", MixedOptions.All),
            Scenario("history", "random history pages of one conversation of --messages messages (filled in MySQL when shorter; needs --db)", HistoryOptions.All),
            Scenario("seed", "create users <prefix><first-user>.. with --password in --department (needs --db)", [SeedCount]),
            Scenario("msfs", "msfs uploads/s of one PNG size (--file-bytes) with --concurrency uploads in flight; upload latency", MsfsOptions.All),
            Scenario("ceiling", "rows/s MariaDB accepts as --batch-row durable INSERT transactions from one client (needs --db)", CeilingOptions.All),
        };
        var report = new Command("report", "combine --json files of runs into one markdown report (and a .json beside it)");
        Add(report, ReportOptions.All);
        root.Add(report);
        return root;
    }

    private static Command Scenario(string name, string description, IReadOnlyList<Option> own)
    {
        var command = new Command(name, description);
        Add(command, own);
        Add(command, CommonOptions.All);
        return command;
    }

    private static void Add(Command command, IReadOnlyList<Option> options)
    {
        foreach (var option in options)
        {
            command.Add(option);
        }
    }
}
