using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>The connect scenario's connections in one process.</summary>
internal sealed class ConnectWorker(CommonOptions common, ConnectOptions connect)
    : ConnectionWorker(common, "connect-heartbeats", closedNoteLimit: 10, closedWhat: "closed while held"), IScenarioWorker, IFrameSink
{
    private long echoes, heldAtStop, rampEnd;

    public Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct)
    {
        await RunContext.SleepUntilAsync(goTicks, ct);
        var mine = new List<int>();
        for (var i = Common.WorkerIndex; i < connect.Connections; i += Common.WorkerCount)
        {
            mine.Add(i);
        }

        var period = Sessions.Ticks(Common.Heartbeat);
        var random = new Random(77 + Common.WorkerIndex);
        Scheduler.Start(Stopwatch.GetTimestamp() + Sessions.Ticks(connect.RampLimit + connect.Hold + TimeSpan.FromMinutes(5)));
        using (var rampLimit = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            rampLimit.CancelAfter(connect.RampLimit);
            try
            {
                await Parallel.ForEachAsync(mine, new ParallelOptions { MaxDegreeOfParallelism = Common.LoginConcurrency, CancellationToken = rampLimit.Token }, async (index, token) =>
                {
                    var c = await Sessions.OpenAsync(Common, Locator, index, this, Logins, token);
                    if (c is null)
                    {
                        return;
                    }

                    lock (Connections)
                    {
                        Connections.Add(c);
                    }

                    ScheduleHeartbeat(c, period, Stopwatch.GetTimestamp(), random);
                });
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Notes.Add($"the ramp did not finish within {connect.RampLimit.TotalSeconds:0} s; {Connections.Count} of {mine.Count} connected");
            }
        }

        rampEnd = Stopwatch.GetTimestamp();
        SetLive(true);
        signals.Phase("ramped");
        await signals.StopRequested.WaitAsync(connect.Hold + TimeSpan.FromMinutes(5), ct);
        SetLive(false);
        lock (Connections)
        {
            heldAtStop = Connections.Count(c => !c.IsClosed);
        }

        Scheduler.Stop();
        foreach (var c in Connections)
        {
            c.Close();
        }
    }

    public WorkerResult Collect()
    {
        var r = new WorkerResult();
        Logins.AddTo(r);
        r.Max("ramp_end_ticks", rampEnd);
        r.Add("held_at_stop", heldAtStop);
        r.Add("dropped", ClosedWhileLive);
        r.Add("heartbeats_sent", HeartbeatsSent);
        r.Add("heartbeat_echoes", Volatile.Read(ref echoes));
        r.Add("other_frames", UnexpectedFrames);
        r.Notes.AddRange(Notes);
        return r;
    }

    public WorkerProgress Progress()
    {
        int open;
        lock (Connections)
        {
            open = Connections.Count(c => !c.IsClosed);
        }

        return new WorkerProgress(open, 0, 0, 0, Logins.Login.Percentile(99) / 1000.0, Logins.Failed + ClosedWhileLive);
    }

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Command == CommandKeys.Heartbeat)
        {
            Interlocked.Increment(ref echoes);
        }
        else
        {
            CountUnexpected();
        }
    }
}
