namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>One process's CPU seconds over a window and its RSS at the end.</summary>
internal sealed record ProcessCpu(string Role, int Pid, double CpuSeconds, long RssKiB, bool AliveThroughout);
