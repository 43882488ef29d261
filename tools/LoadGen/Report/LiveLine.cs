using System.Diagnostics;
using System.Globalization;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// The live progress line on stderr: connected users, messages/s (acked, delivered), p99 of the last second. Redrawn in
/// place on a terminal, one line every 5 s otherwise (logs, CI).
/// </summary>
internal sealed class LiveLine : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<WorkerProgress?>> source;
    private readonly bool quiet;
    private readonly bool terminal = !Console.IsErrorRedirected;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private string phase = "starting";

    public LiveLine(Func<IReadOnlyList<WorkerProgress?>> source, bool quiet)
    {
        this.source = source;
        this.quiet = quiet;
        loop = quiet ? Task.CompletedTask : Task.Run(LoopAsync);
    }

    public void Phase(string name)
    {
        phase = name;
        if (!quiet)
        {
            Console.Error.Write((terminal ? "\r\x1b[K" : string.Empty) + $"[{DateTime.Now:HH:mm:ss}] {name}\n");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        if (terminal && !quiet)
        {
            await Console.Error.WriteAsync("\n");
        }

        stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastAcked = 0, lastDelivered = 0, lastSent = 0;
        var lastAt = Stopwatch.GetTimestamp();
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var all = source().Where(p => p is not null).Select(p => p!).ToList();
                var now = Stopwatch.GetTimestamp();
                var secs = Math.Max(1e-3, Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds);
                var connected = all.Sum(p => p.Connected);
                var sent = all.Sum(p => p.Sent);
                var acked = all.Sum(p => p.Acked);
                var delivered = all.Sum(p => p.Delivered);
                var p99 = all.Count == 0 ? 0 : all.Max(p => p.IntervalP99Ms);
                var errors = all.Sum(p => p.Errors);
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{phase}: {connected:#,0} connected · sent {(sent - lastSent) / secs:#,0}/s · acked {(acked - lastAcked) / secs:#,0}/s · delivered {(delivered - lastDelivered) / secs:#,0}/s · p99 {p99:0.0} ms · errors {errors:#,0}");
                (lastSent, lastAcked, lastDelivered, lastAt) = (sent, acked, delivered, now);
                if (terminal)
                {
                    await Console.Error.WriteAsync("\r\x1b[K" + line);
                }
                else if (++tick % 5 == 0)
                {
                    await Console.Error.WriteLineAsync(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
