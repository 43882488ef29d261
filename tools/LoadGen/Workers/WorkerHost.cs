using System.Globalization;
using System.Text.Json;

namespace TeamTalk.Orleans.LoadGen.Workers;

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
