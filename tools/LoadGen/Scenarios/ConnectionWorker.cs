using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// What a worker that holds its connections (and their heartbeats) for a whole phase shares: the locator, the login
/// figures, the scheduler, the connections, the notes, connections closed while the phase is live, heartbeat and
/// unexpected-frame counters, and disposal. The derived worker implements <see cref="IFrameSink.OnFrame"/> itself, so a
/// frame costs one interface call and no virtual one; the shared per-frame pieces here are plain (inlinable) methods.
/// </summary>
internal abstract class ConnectionWorker : IAsyncDisposable
{
    private readonly int closedNoteLimit;
    private readonly string closedWhat;
    private readonly Action<bool> heartbeatSent;
    private long closedWhileLive, unexpectedFrames, heartbeatsSent, heartbeatFailures;
    private int live;

    /// <param name="common">The options every scenario shares.</param>
    /// <param name="schedulerName">The name of the scheduler thread.</param>
    /// <param name="closedNoteLimit">How many connections closed while live get a note (0: none).</param>
    /// <param name="closedWhat">The note's wording after the user name, before the reason (e.g. "closed during the run").</param>
    protected ConnectionWorker(CommonOptions common, string schedulerName, int closedNoteLimit, string closedWhat)
    {
        Common = common;
        Locator = new ServerLocator(common);
        Scheduler = new Scheduler(schedulerName);
        this.closedNoteLimit = closedNoteLimit;
        this.closedWhat = closedWhat;
        heartbeatSent = OnHeartbeatSent;
    }

    protected CommonOptions Common { get; }

    protected ServerLocator Locator { get; }

    protected LoginStats Logins { get; } = new();

    protected Scheduler Scheduler { get; }

    /// <summary>The connections that logged in; disposed with the worker.</summary>
    protected List<LeanConnection> Connections { get; } = [];

    /// <summary>Notes for the report (the closed-while-live notes are added under a lock on this list).</summary>
    protected List<string> Notes { get; } = [];

    /// <summary>Connections the server closed (or that broke) while the phase was live.</summary>
    protected long ClosedWhileLive => Volatile.Read(ref closedWhileLive);

    /// <summary>Frames no scenario logic expected.</summary>
    protected long UnexpectedFrames => Volatile.Read(ref unexpectedFrames);

    /// <summary>Heartbeats sent (or tried) by the tasks of <see cref="ScheduleHeartbeat"/>.</summary>
    protected long HeartbeatsSent => Volatile.Read(ref heartbeatsSent);

    /// <summary>Heartbeats that could not be sent.</summary>
    protected long HeartbeatFailures => Volatile.Read(ref heartbeatFailures);

    /// <summary>The connection ended: while live, counted and (up to the note limit) noted with the reason.</summary>
    public void OnClosed(LeanConnection connection, string reason)
    {
        if (Volatile.Read(ref live) == 0)
        {
            return;
        }

        Interlocked.Increment(ref closedWhileLive);
        if (closedNoteLimit == 0)
        {
            return;
        }

        lock (Notes)
        {
            if (Notes.Count < closedNoteLimit)
            {
                Notes.Add($"connection of {Common.UserName(connection.Index)} {closedWhat}: {reason}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Scheduler.Dispose();
        foreach (var c in Connections)
        {
            c.Dispose();
        }

        Locator.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether connections closing now count as closed while live.</summary>
    protected void SetLive(bool value) => Volatile.Write(ref live, value ? 1 : 0);

    /// <summary>Heartbeats on <paramref name="connection"/> every <paramref name="period"/> ticks, the first at a random point of the first period after <paramref name="start"/>.</summary>
    protected void ScheduleHeartbeat(LeanConnection connection, long period, long start, Random random) =>
        Scheduler.Add(new HeartbeatTask(connection, period, heartbeatSent), start + (long)(random.NextDouble() * period));

    /// <summary>A frame the scenario logic does not handle: a heartbeat echo is fine, anything else is unexpected.</summary>
    protected void OnOtherFrame(in PacketHeader header)
    {
        if (header.Command != CommandKeys.Heartbeat)
        {
            Interlocked.Increment(ref unexpectedFrames);
        }
    }

    protected void CountUnexpected() => Interlocked.Increment(ref unexpectedFrames);

    /// <summary>The login figures, then the notes (in that order in every worker's result).</summary>
    protected void AddLoginsAndNotes(WorkerResult result)
    {
        Logins.AddTo(result);
        result.Notes.AddRange(Notes);
    }

    private void OnHeartbeatSent(bool ok)
    {
        Interlocked.Increment(ref heartbeatsSent);
        if (!ok)
        {
            Interlocked.Increment(ref heartbeatFailures);
        }
    }
}
