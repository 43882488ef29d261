namespace TeamTalk.Orleans.Grains;

/// <summary>Typed access to the msfs grain.</summary>
public static class MsfsGrainFactoryExtensions
{
    /// <summary>The (stateless) msfs grain: path → blob entries.</summary>
    public static IMsfsGrain GetMsfsGrain(this IGrainFactory factory) => factory.GetGrain<IMsfsGrain>(0);
}
