namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>The part of a scenario that holds connections: one per process.</summary>
internal interface IScenarioWorker : IAsyncDisposable
{
    /// <summary>Connects and logs in what must exist before the run starts.</summary>
    Task PrepareAsync(CancellationToken ct);

    /// <summary>Runs from <paramref name="goTicks"/> (a Stopwatch timestamp, the same clock in every process) and returns when done.</summary>
    Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct);

    WorkerResult Collect();

    WorkerProgress Progress();
}
