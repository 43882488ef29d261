namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>A server process whose CPU and memory are measured: its role (silo, gateway, mariadb, redis) and pid.</summary>
internal sealed record ServerProcess(string Role, int Pid);
