namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>The coordinator's view of a worker, in this process or another.</summary>
internal interface IWorkerHandle : IAsyncDisposable
{
    /// <summary>Completes when the worker prepared (connected and logged in).</summary>
    Task Ready { get; }

    void Go(long goTicks);

    void Stop();

    /// <summary>Completes when the worker reported the phase.</summary>
    Task WaitPhaseAsync(string name);

    Task<WorkerResult> Result { get; }

    WorkerProgress? LatestProgress { get; }

    /// <summary>The worker's process id (for its own CPU).</summary>
    int Pid { get; }
}
