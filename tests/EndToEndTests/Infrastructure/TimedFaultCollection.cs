namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// Fault tests whose assertions are times the design promises (discovery dropping a killed gateway within 2 s, acks
/// stalled less than 2.8 s around a silo's death). They run one after another and after the parallel collections, so
/// that the other test classes' clusters and load do not share the two cores with the fault being timed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedFaultCollection
{
    public const string Name = "timed faults";
}
