namespace TeamTalk.Orleans.Grains;

/// <summary>Typed access to the device (push token and push-shield) grain.</summary>
public static class DeviceGrainFactoryExtensions
{
    /// <summary>The (stateless) device grain: push tokens and push-shield flags.</summary>
    public static IDeviceGrain GetDeviceGrain(this IGrainFactory factory) => factory.GetGrain<IDeviceGrain>(0);
}
