namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>CPU seconds and RSS of the server processes over a window.</summary>
internal sealed class CpuMeter
{
    private readonly List<ServerProcess> processes;
    private Dictionary<int, ProcSample> before = [];
    private long startTimestamp;

    public CpuMeter(List<ServerProcess> processes) => this.processes = processes;

    public IReadOnlyList<ServerProcess> Processes => processes;

    public void Start()
    {
        before = processes.ToDictionary(p => p.Pid, p => ProcStat.Read(p.Pid));
        startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public Dictionary<int, ProcSample> Sample() => processes.ToDictionary(p => p.Pid, p => ProcStat.Read(p.Pid));

    /// <summary>CPU seconds per process since <see cref="Start"/>, with the window's length.</summary>
    public CpuWindow Stop()
    {
        var after = Sample();
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        var rows = processes.Select(p =>
        {
            var a = after[p.Pid];
            var b = before.TryGetValue(p.Pid, out var s) ? s : a;
            return new ProcessCpu(p.Role, p.Pid, (a.CpuTicks - b.CpuTicks) / (double)ProcStat.TicksPerSecond, a.RssKiB, a.Alive && b.Alive);
        }).ToList();
        return new CpuWindow(seconds, rows);
    }
}
