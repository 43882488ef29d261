using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Report;
using TeamTalk.Orleans.LoadGen.Scenarios;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Data.Seeding;

namespace TeamTalk.Orleans.LoadGen;

/// <summary>
/// Runs a scenario: seeds users when asked, finds the server processes, starts the workers (in this process, or K
/// re-launched copies of it with their share of the users), waits until they are logged in, lets the scenario drive
/// the run, then prints the summary and writes the JSON.
/// </summary>
internal static class Coordinator
{
    /// <summary>Options not passed on to worker processes (the coordinator's business only).</summary>
    private static readonly HashSet<string> CoordinatorOnly = new(StringComparer.Ordinal)
    {
        "processes", "json", "pids", "discover-pids", "seed", "department", "quiet", "label",
    };

    public static async Task<int> RunAsync(ParseResult args, IScenario scenario, CommonOptions common, ILoggerFactory logs, CancellationToken ct)
    {
        if (common.Seed > 0)
        {
            await SeedAsync(common, common.Seed, logs, ct);
        }

        if (common.Seed > 0 && common.Seed < scenario.UsersNeeded)
        {
            throw new UsageException($"{scenario.Name} needs {scenario.UsersNeeded} users but --seed creates {common.Seed}");
        }

        var servers = common.DiscoverPids ? ServerProcesses.Discover() : common.Pids;
        await scenario.SetupAsync(common, ct);

        var workers = new List<IWorkerHandle>();
        LiveLine? live = null;
        try
        {
            if (common.Processes == 1)
            {
                workers.Add(new LocalWorkerHandle(scenario.CreateWorker(common), ct));
            }
            else
            {
                for (var i = 0; i < common.Processes; i++)
                {
                    workers.Add(new ProcessWorkerHandle(WorkerArguments(args, i, common.Processes)));
                }
            }

            live = new LiveLine(() => workers.Select(w => w.LatestProgress).ToList(), common.Quiet);
            live.Phase($"{scenario.Name}: connecting and logging in ({common.Processes} process{(common.Processes == 1 ? string.Empty : "es")})");
            var prepared = Stopwatch.StartNew();
            await Task.WhenAll(workers.Select(w => w.Ready));
            live.Phase($"{scenario.Name}: workers ready after {prepared.Elapsed.TotalSeconds:0.0} s");

            var report = await scenario.CoordinateAsync(new RunContext(common, workers, new CpuMeter(servers), live), ct);
            await live.DisposeAsync();
            live = null;
            Print(report);
            if (common.JsonPath is { } path)
            {
                await ReportWriter.WriteJsonAsync(path, report, ct);
                await Console.Error.WriteLineAsync($"wrote {path}");
            }

            return report.Supported ? 0 : 3;
        }
        finally
        {
            if (live is not null)
            {
                await live.DisposeAsync();
            }

            foreach (var w in workers)
            {
                w.Stop();
            }

            foreach (var w in workers)
            {
                await w.DisposeAsync();
            }
        }
    }

    /// <summary>Creates users lg1..lgN (prefix and first number from the options) and the department, idempotently.</summary>
    public static async Task SeedAsync(CommonOptions common, int count, ILoggerFactory logs, CancellationToken ct)
    {
        var db = common.Db ?? throw new UsageException("seeding needs --db");
        var seeder = new UserSeeder(db, logs.CreateLogger<UserSeeder>());
        var stopwatch = Stopwatch.StartNew();
        var department = await seeder.EnsureDepartmentAsync(common.Department, ct: ct);
        var users = Enumerable.Range(0, count)
            .Select(i => common.UserName(i))
            .Select(name => new SeedUser(name, common.Password, name, Domain: name))
            .ToList();
        var ids = await seeder.EnsureUsersAsync(users, (uint)department, ct);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"seeded {ids.Length} users {users[0].Name}..{users[^1].Name} in department '{common.Department}' in {stopwatch.Elapsed.TotalSeconds:0.0} s"));
    }

    public static void Print(ScenarioReport report)
    {
        var title = report.Label is null ? report.Scenario : $"{report.Scenario} ({report.Label})";
        var width = Math.Max(12, report.Rows.Count == 0 ? 0 : report.Rows.Max(r => r.Name.Length));
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine($"== {title} ==");
        foreach (var row in report.Rows)
        {
            output.WriteLine($"  {row.Name.PadRight(width)}  {row.Value}");
        }

        foreach (var note in report.Notes)
        {
            output.WriteLine($"  note: {note}");
        }

        output.Flush();
    }

    /// <summary>The command line of worker <paramref name="index"/> of <paramref name="count"/>: the options given, less the coordinator's own.</summary>
    internal static List<string> WorkerArguments(ParseResult args, int index, int count)
    {
        var list = new List<string> { args.CommandResult.Command.Name };
        foreach (var (name, values) in CommandLineParser.GivenOptions(args))
        {
            var bare = name.TrimStart('-');
            if (CoordinatorOnly.Contains(bare) || bare is "worker-index" or "worker-count")
            {
                continue;
            }

            list.Add(name);
            list.AddRange(values);
        }

        list.AddRange(["--worker-index", index.ToString(CultureInfo.InvariantCulture), "--worker-count", count.ToString(CultureInfo.InvariantCulture), "--quiet"]);
        return list;
    }
}
