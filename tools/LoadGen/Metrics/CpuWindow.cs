namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>CPU of every measured process over a window of <see cref="WallSeconds"/>.</summary>
internal sealed record CpuWindow(double WallSeconds, List<ProcessCpu> Processes)
{
    public double TotalCpuSeconds => Processes.Sum(p => p.CpuSeconds);

    /// <summary>Cores kept busy on average.</summary>
    public double Cores => WallSeconds > 0 ? TotalCpuSeconds / WallSeconds : 0;
}
