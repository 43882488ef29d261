using Orleans.Configuration;

namespace TeamTalk.Orleans.Hosting;

/// <summary>
/// How fast the cluster notices a dead process (docs/operations.md, "Failure detection"). Orleans' defaults suit
/// clusters of hundreds of silos across data centres (a dead silo is declared after ~15–30 s); ours are a handful of
/// processes on one network, where a killed process refuses connections at once, so we probe every 0.5–2 s and
/// declare a silo dead after two missed probes: calls to a dead silo fail within about 1–1.5 s instead of waiting
/// out the response timeout.
/// </summary>
public static class FailureDetection
{
    /// <summary>Initial probe timeout (and probe period); Orleans adapts it between half and twice this.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Probes missed in a row before a silo votes its peer dead.</summary>
    public const int NumMissedProbesLimit = 2;

    /// <summary>Votes that declare a silo dead (Orleans needs fewer when fewer silos are active: one of two).</summary>
    public const int NumVotesForDeathDeclaration = 2;

    /// <summary>How often a silo writes its I-am-alive time to the membership table (new silos skip stale entries by it).</summary>
    public static readonly TimeSpan IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often a silo re-reads the whole membership table (gossip tells it changes at once anyway).</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a silo keeps the state of a gateway whose connection dropped: calls to its observers then fail.</summary>
    public static readonly TimeSpan ClientDropTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How often a gateway re-reads the list of silos it can connect to (a new silo is used within this).</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(2);

    /// <summary>Applies the silo side.</summary>
    public static ISiloBuilder UseTeamTalkFailureDetection(this ISiloBuilder silo)
    {
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.MinProbeTimeout = ProbeTimeout / 2;
            o.MaxProbeTimeout = ProbeTimeout * 2;
            o.NumMissedProbesLimit = NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
            o.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
            o.TableRefreshTimeout = TableRefreshTimeout;
        });
        silo.Configure<SiloMessagingOptions>(o => o.ClientDropTimeout = ClientDropTimeout);
        return silo;
    }

    /// <summary>Applies the gateway (Orleans client) side.</summary>
    public static IClientBuilder UseTeamTalkFailureDetection(this IClientBuilder client)
    {
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        return client;
    }
}
