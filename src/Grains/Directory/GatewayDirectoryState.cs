using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Directory;

/// <summary>
/// Persisted state of the <see cref="GatewayDirectoryGrain"/>: the registered gateways and their observers, written when
/// a gateway registers, unregisters or expires (not on every announcement), so that a directory reactivated after its
/// silo died knows every gateway at once instead of after the next announcements.
/// </summary>
[GenerateSerializer]
public sealed class GatewayDirectoryState
{
    [Id(0)]
    public List<GatewayRoute> Gateways { get; set; } = [];
}
