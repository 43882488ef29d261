using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>The connect scenario's connections in one process.</summary>
internal sealed class ConnectWorker(CommonOptions common, ConnectOptions connect) : IScenarioWorker, IFrameSink
{
    private readonly ServerLocator locator = new(common);
    private readonly LoginStats logins = new();
    private readonly Scheduler scheduler = new("connect-heartbeats");
    private readonly List<LeanConnection> connections = [];
    private readonly List<string> notes = [];
    private long dropped, heartbeatsSent, echoes, otherFrames, heldAtStop, rampEnd;
    private int holding;

    public Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct)
    {
        await RunContext.SleepUntilAsync(goTicks, ct);
        var mine = new List<int>();
        for (var i = common.WorkerIndex; i < connect.Connections; i += common.WorkerCount)
        {
            mine.Add(i);
        }

        var period = Sessions.Ticks(common.Heartbeat);
        var random = new Random(77 + common.WorkerIndex);
        scheduler.Start(Stopwatch.GetTimestamp() + Sessions.Ticks(connect.RampLimit + connect.Hold + TimeSpan.FromMinutes(5)));
        using (var rampLimit = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            rampLimit.CancelAfter(connect.RampLimit);
            try
            {
                await Parallel.ForEachAsync(mine, new ParallelOptions { MaxDegreeOfParallelism = common.LoginConcurrency, CancellationToken = rampLimit.Token }, async (index, token) =>
                {
                    var c = await Sessions.OpenAsync(common, locator, index, this, logins, token);
                    if (c is null)
                    {
                        return;
                    }

                    lock (connections)
                    {
                        connections.Add(c);
                    }

                    scheduler.Add(new HeartbeatTask(c, period, _ => Interlocked.Increment(ref heartbeatsSent)), Stopwatch.GetTimestamp() + (long)(random.NextDouble() * period));
                });
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                notes.Add($"the ramp did not finish within {connect.RampLimit.TotalSeconds:0} s; {connections.Count} of {mine.Count} connected");
            }
        }

        rampEnd = Stopwatch.GetTimestamp();
        Volatile.Write(ref holding, 1);
        signals.Phase("ramped");
        await signals.StopRequested.WaitAsync(connect.Hold + TimeSpan.FromMinutes(5), ct);
        Volatile.Write(ref holding, 0);
        lock (connections)
        {
            heldAtStop = connections.Count(c => !c.IsClosed);
        }

        scheduler.Stop();
        foreach (var c in connections)
        {
            c.Close();
        }
    }

    public WorkerResult Collect()
    {
        var r = new WorkerResult();
        logins.AddTo(r);
        r.Max("ramp_end_ticks", rampEnd);
        r.Add("held_at_stop", heldAtStop);
        r.Add("dropped", Volatile.Read(ref dropped));
        r.Add("heartbeats_sent", Volatile.Read(ref heartbeatsSent));
        r.Add("heartbeat_echoes", Volatile.Read(ref echoes));
        r.Add("other_frames", Volatile.Read(ref otherFrames));
        r.Notes.AddRange(notes);
        return r;
    }

    public WorkerProgress Progress()
    {
        int open;
        lock (connections)
        {
            open = connections.Count(c => !c.IsClosed);
        }

        return new WorkerProgress(open, 0, 0, 0, logins.Login.Percentile(99) / 1000.0, logins.Failed + Volatile.Read(ref dropped));
    }

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Command == CommandKeys.Heartbeat)
        {
            Interlocked.Increment(ref echoes);
        }
        else
        {
            Interlocked.Increment(ref otherFrames);
        }
    }

    public void OnClosed(LeanConnection connection, string reason)
    {
        if (Volatile.Read(ref holding) == 1)
        {
            Interlocked.Increment(ref dropped);
            lock (notes)
            {
                if (notes.Count < 10)
                {
                    notes.Add($"connection of {common.UserName(connection.Index)} closed while held: {reason}");
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        scheduler.Dispose();
        foreach (var c in connections)
        {
            c.Dispose();
        }

        locator.Dispose();
        return ValueTask.CompletedTask;
    }
}
