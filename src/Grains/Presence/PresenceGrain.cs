using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.Grains.Presence;

/// <summary>
/// Answers presence for many users with one call per live gateway (see <see cref="IPresenceGrain"/>): the gateways
/// hold the sockets, so they are the truth, and no user grain is activated for users who are not connected.
/// A gateway that does not answer within the observer call timeout counts as holding no PC connection (its failure
/// is logged by the router). Stateless worker: activations are local to the calling silo.
/// </summary>
[StatelessWorker]
public sealed class PresenceGrain(GatewayRouter router) : Grain, IPresenceGrain
{
    public async Task<uint[]> GetPcOnlineAsync(uint[] userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Length == 0)
        {
            return [];
        }

        uint[] distinct = [.. userIds.Distinct()];
        var routes = await router.GetRoutesAsync();
        var answers = await router.CallAsync(routes.Keys, observer => observer.FindPcOnlineAsync(distinct));
        return [.. answers.SelectMany(found => found).Distinct()];
    }
}
