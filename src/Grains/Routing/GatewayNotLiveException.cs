namespace TeamTalk.Orleans.Grains.Routing;

/// <summary>A push was queued for a gateway that is no longer in the silo's view of the live gateways.</summary>
public sealed class GatewayNotLiveException : Exception
{
    public GatewayNotLiveException()
    {
    }

    public GatewayNotLiveException(string gatewayId)
        : base($"gateway {gatewayId} is not live")
    {
    }

    public GatewayNotLiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
