using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>
/// This gateway's copy of the live gateways, as the directory returned it with the last announcement. Discovery
/// answers from it without a grain call per request.
/// </summary>
internal sealed class LiveGateways(TimeProvider time)
{
    private volatile Snapshot current = new([], DateTimeOffset.MinValue);

    public void Update(GatewayInfo[] gateways) => current = new Snapshot(gateways, time.GetUtcNow());

    /// <summary>The gateways known live, or none when this gateway has not reached the directory within <paramref name="maxAge"/>.</summary>
    public IReadOnlyList<GatewayInfo> Get(TimeSpan maxAge)
    {
        var snapshot = current;
        return time.GetUtcNow() - snapshot.Taken <= maxAge ? snapshot.Gateways : [];
    }

    private sealed record Snapshot(GatewayInfo[] Gateways, DateTimeOffset Taken);
}
