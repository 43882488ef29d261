using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// The directory of live gateways (key 0): each gateway announces itself, its load and its observer on a timer;
/// entries that stop refreshing expire. Discovery picks the least-loaded live gateway from it, and grains find the
/// observer of the gateway that holds a connection. Its state is rebuilt from the announcements within one period.
/// </summary>
public interface IGatewayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers or refreshes a gateway; returns the gateways that announced themselves recently (the caller's discovery view).</summary>
    Task<GatewayInfo[]> HeartbeatAsync(GatewayInfo info, IGatewayObserver observer);

    /// <summary>Removes a gateway that is shutting down.</summary>
    Task UnregisterAsync(string gatewayId);

    /// <summary>
    /// A call to the observer of <paramref name="gatewayId"/> failed as if it were gone: removes it at once when it has
    /// also stopped announcing itself (a live gateway that just missed a call keeps its entry).
    /// </summary>
    Task ReportUnreachableAsync(string gatewayId);

    /// <summary>Every live gateway with its observer.</summary>
    Task<GatewayRoute[]> GetRoutesAsync();
}
