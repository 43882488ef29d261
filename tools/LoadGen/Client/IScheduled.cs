namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>Something the <see cref="Scheduler"/> runs when due.</summary>
internal interface IScheduled
{
    /// <summary>Runs at or after its due time; returns the next due tick, or <see cref="long.MaxValue"/> to be dropped.</summary>
    long Run(long now);
}
