using TeamTalk.Orleans.LoadGen.Client;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Sends a heartbeat on one connection every period (scheduled on the shared <see cref="Scheduler"/>).</summary>
internal sealed class HeartbeatTask(LeanConnection connection, long periodTicks, Action<bool> sent) : IScheduled
{
    private ushort seq;

    public long Run(long now)
    {
        if (connection.IsClosed)
        {
            return long.MaxValue;
        }

        seq = (ushort)(seq == ushort.MaxValue ? 1 : seq + 1);
        sent(connection.SendHeartbeat(seq));
        return now + periodTicks;
    }
}
