namespace TeamTalk.Orleans.Silo;

/// <summary>Settings of the silo process itself (section <c>TeamTalk:Silo</c>).</summary>
public sealed class SiloSettings
{
    public const string Section = "TeamTalk:Silo";

    /// <summary>
    /// Whether the silo also runs a gateway in its process (configured by <c>TeamTalk:Gateway</c> as a gateway process
    /// is): one process per node. The gateway's calls to this silo's grains and their pushes to it then cross no socket
    /// and are not serialized: the servers' CPU per request halves and per message falls by a fifth to a third at
    /// everyday rates (docs/benchmarks.md, round 6); the gateway's connections live and die with the silo. Off by
    /// default: gateways are processes of their own (docs/operations.md "One process per node").
    /// </summary>
    public bool HostGateway { get; set; }
}
