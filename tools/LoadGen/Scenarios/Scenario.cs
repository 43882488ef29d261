using System.Diagnostics;
using System.Globalization;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>A load scenario: its workers (one per process) and what the coordinator does while they run.</summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>Scenario parameters for the report.</summary>
    IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>How many users (lg indices 0..N-1 relative to --first-user) the scenario logs in.</summary>
    int UsersNeeded { get; }

    /// <summary>Coordinator-only preparation before workers start (database setup).</summary>
    Task SetupAsync(CommonOptions common, CancellationToken ct);

    IScenarioWorker CreateWorker(CommonOptions common);

    /// <summary>Starts the workers, measures the servers, and turns the merged results into a report.</summary>
    Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct);
}

/// <summary>What the coordinator hands a scenario: the prepared workers and the server meter.</summary>
internal sealed class RunContext(CommonOptions common, List<IWorkerHandle> workers, CpuMeter servers, LiveLine live)
{
    public CommonOptions Common => common;

    public List<IWorkerHandle> Workers => workers;

    public CpuMeter Servers => servers;

    public LiveLine Live => live;

    /// <summary>Sends GO to every worker, 300 ms from now (so that all of them start on the same tick).</summary>
    public long Go()
    {
        var go = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 3 / 10);
        foreach (var w in workers)
        {
            w.Go(go);
        }

        return go;
    }

    public static async Task SleepUntilAsync(long ticks, CancellationToken ct)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), ticks);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, ct);
        }
    }

    public async Task<WorkerResult> MergedResultsAsync()
    {
        var merged = new WorkerResult();
        foreach (var r in await Task.WhenAll(workers.Select(w => w.Result)))
        {
            merged.Merge(r);
        }

        return merged;
    }

    /// <summary>CPU of this process and its worker processes (the load generator's own share of the machine).</summary>
    public List<ServerProcess> LoadGenProcesses() =>
        [.. workers.Select(w => w.Pid).Append(Environment.ProcessId).Distinct().Select(p => new ServerProcess("loadgen", p))];
}

/// <summary>One line of the summary table.</summary>
internal sealed record ReportRow(string Name, string Value);

/// <summary>A scenario's outcome: figures (for --json) and the table rows (for the console and markdown).</summary>
internal sealed class ScenarioReport
{
    public required string Scenario { get; init; }

    public string? Label { get; init; }

    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;

    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    public Dictionary<string, object?> Figures { get; init; } = [];

    public List<ReportRow> Rows { get; init; } = [];

    public List<string> Notes { get; init; } = [];

    /// <summary>False when the scenario could not be run as intended (e.g. the server does not serve a command).</summary>
    public bool Supported { get; set; } = true;

    public void Row(string name, string value) => Rows.Add(new ReportRow(name, value));

    public static string N(double value, string format = "#,0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "#,0.0", CultureInfo.InvariantCulture) + " ms";

    public void Latency(string name, LatencySummary s) =>
        Row(name, s.Count == 0 ? "—" : $"p50 {Ms(s.P50Ms)} · p90 {Ms(s.P90Ms)} · p99 {Ms(s.P99Ms)} · max {Ms(s.MaxMs)} (n={N(s.Count)})");
}
