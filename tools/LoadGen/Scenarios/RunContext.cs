using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

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
