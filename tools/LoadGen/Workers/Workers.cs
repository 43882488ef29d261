using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>Signals from the coordinator to a running worker.</summary>
internal interface IWorkerSignals
{
    /// <summary>Tells the coordinator the worker reached a named phase (e.g. "ramped").</summary>
    void Phase(string name);

    /// <summary>Completes when the coordinator asks the worker to stop (scenarios that hold until told).</summary>
    Task StopRequested { get; }
}

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

/// <summary>Phase bookkeeping shared by both handle kinds.</summary>
internal sealed class PhaseBoard
{
    private readonly Dictionary<string, TaskCompletionSource> phases = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public Task Wait(string name) => Get(name).Task;

    public void Reach(string name) => Get(name).TrySetResult();

    public void FailAll(Exception ex)
    {
        lock (gate)
        {
            foreach (var p in phases.Values)
            {
                p.TrySetException(ex);
            }
        }
    }

    private TaskCompletionSource Get(string name)
    {
        lock (gate)
        {
            if (!phases.TryGetValue(name, out var tcs))
            {
                phases[name] = tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return tcs;
        }
    }
}

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

/// <summary>
/// A worker in a child process (this program re-launched with <c>--worker-index i --worker-count K</c>). Protocol on
/// its stdout: <c>READY</c>, <c>PHASE name</c>, <c>PROGRESS json</c>, <c>RESULT json</c>, <c>ERROR text</c>; on its
/// stdin: <c>GO ticks</c>, <c>STOP</c>. Its stderr (logs) passes through.
/// </summary>
internal sealed class ProcessWorkerHandle : IWorkerHandle
{
    private readonly Process process;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<WorkerResult> result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PhaseBoard phases = new();
    private readonly Task pump;
    private WorkerProgress? progress;

    public ProcessWorkerHandle(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ProcessWorkerHandle).Assembly.Location);
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("could not start a worker process");
        pump = PumpAsync();
    }

    public Task Ready => ready.Task;

    public Task<WorkerResult> Result => result.Task;

    public WorkerProgress? LatestProgress => Volatile.Read(ref progress);

    public int Pid => process.Id;

    public void Go(long goTicks) => Send(string.Create(CultureInfo.InvariantCulture, $"GO {goTicks}"));

    public void Stop() => Send("STOP");

    public Task WaitPhaseAsync(string name) => phases.Wait(name);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Send("STOP");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await pump;
        process.Dispose();
    }

    private void Send(string line)
    {
        try
        {
            process.StandardInput.WriteLine(line);
            process.StandardInput.Flush();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The worker already exited; its result (or failure) is reported by the pump.
        }
    }

    private async Task PumpAsync()
    {
        var failure = "the worker process exited without a result";
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var verb = space < 0 ? line : line[..space];
            var rest = space < 0 ? string.Empty : line[(space + 1)..];
            switch (verb)
            {
                case "READY":
                    ready.TrySetResult();
                    break;
                case "PHASE":
                    phases.Reach(rest);
                    break;
                case "PROGRESS":
                    Volatile.Write(ref progress, JsonSerializer.Deserialize<WorkerProgress>(rest, WorkerHost.Json));
                    break;
                case "RESULT":
                    result.TrySetResult(JsonSerializer.Deserialize<WorkerResult>(rest, WorkerHost.Json)
                                        ?? throw new InvalidOperationException("empty worker result"));
                    break;
                case "ERROR":
                    failure = "worker failed: " + rest;
                    break;
                default:
                    await Console.Error.WriteLineAsync("worker: " + line);
                    break;
            }
        }

        await process.WaitForExitAsync();
        var ex = new InvalidOperationException($"{failure} (exit code {process.ExitCode})");
        ready.TrySetException(ex);
        result.TrySetException(ex);
        phases.FailAll(ex);
    }
}

/// <summary>The worker side of <see cref="ProcessWorkerHandle"/>'s protocol.</summary>
internal static class WorkerHost
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task<int> RunAsync(IScenarioWorker worker, CancellationToken ct)
    {
        var output = Console.Out;
        var outputLock = new Lock();
        void Say(string line)
        {
            lock (outputLock)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }

        var signals = new StdinSignals(Say);
        using var progressTimer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progressLoop = Task.Run(async () =>
        {
            try
            {
                while (await progressTimer.WaitForNextTickAsync(progressStop.Token))
                {
                    Say("PROGRESS " + JsonSerializer.Serialize(worker.Progress(), Json));
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        }, CancellationToken.None);

        try
        {
            await worker.PrepareAsync(ct);
            Say("READY");
            var goTicks = await signals.Go.WaitAsync(ct);
            await worker.RunAsync(goTicks, signals, ct);
            Say("RESULT " + JsonSerializer.Serialize(worker.Collect(), Json));
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Say("ERROR " + ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "));
            await Console.Error.WriteLineAsync(ex.ToString());
            return 1;
        }
        finally
        {
            await progressStop.CancelAsync();
            await progressLoop;
            await worker.DisposeAsync();
        }
    }

    private sealed class StdinSignals : IWorkerSignals
    {
        private readonly Action<string> say;
        private readonly TaskCompletionSource<long> go = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource stop = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StdinSignals(Action<string> say)
        {
            this.say = say;
            _ = Task.Run(ReadAsync);
        }

        public Task<long> Go => go.Task;

        public Task StopRequested => stop.Task;

        public void Phase(string name) => say("PHASE " + name);

        private async Task ReadAsync()
        {
            while (await Console.In.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("GO ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(3), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
                {
                    go.TrySetResult(ticks);
                }
                else if (line == "STOP")
                {
                    stop.TrySetResult();
                }
            }

            // The coordinator went away: stop whatever runs.
            stop.TrySetResult();
            go.TrySetException(new OperationCanceledException("the coordinator closed our input before GO"));
        }
    }
}
