namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>CPU time and memory of one process, read from /proc.</summary>
internal readonly record struct ProcSample(int Pid, long CpuTicks, long RssKiB, bool Alive);
