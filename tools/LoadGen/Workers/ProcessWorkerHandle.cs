using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TeamTalk.Orleans.LoadGen.Workers;

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
