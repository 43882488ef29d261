namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>A worker in this process.</summary>
internal sealed class LocalWorkerHandle : IWorkerHandle, IWorkerSignals
{
    private readonly IScenarioWorker worker;
    private readonly CancellationToken ct;
    private readonly TaskCompletionSource<long> go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PhaseBoard phases = new();

    public LocalWorkerHandle(IScenarioWorker worker, CancellationToken ct)
    {
        this.worker = worker;
        this.ct = ct;
        Ready = worker.PrepareAsync(ct);
        Result = RunAsync();
    }

    public Task Ready { get; }

    public Task<WorkerResult> Result { get; }

    public WorkerProgress? LatestProgress => worker.Progress();

    public int Pid => Environment.ProcessId;

    public Task StopRequested => stop.Task;

    public void Go(long goTicks) => go.TrySetResult(goTicks);

    public void Stop() => stop.TrySetResult();

    public Task WaitPhaseAsync(string name) => phases.Wait(name);

    public void Phase(string name) => phases.Reach(name);

    public ValueTask DisposeAsync() => worker.DisposeAsync();

    private async Task<WorkerResult> RunAsync()
    {
        try
        {
            await Ready;
            var goTicks = await go.Task.WaitAsync(ct);
            await worker.RunAsync(goTicks, this, ct);
            return worker.Collect();
        }
        catch (Exception ex)
        {
            phases.FailAll(ex);
            throw;
        }
    }
}
