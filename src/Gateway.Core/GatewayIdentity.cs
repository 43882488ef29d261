namespace TeamTalk.Orleans.Gateway;

/// <summary>This gateway process's id in the cluster: unique per process start, so a restarted gateway is a new one.</summary>
public sealed class GatewayIdentity(GatewayOptions options)
{
    public string Id { get; } = $"{Environment.MachineName}-{options.TcpPort}-{Guid.NewGuid():N}";
}
