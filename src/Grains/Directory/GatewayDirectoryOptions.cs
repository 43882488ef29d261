using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Directory;

/// <summary>Settings of the gateway directory and of the silo-side view of it.</summary>
public sealed class GatewayDirectoryOptions
{
    public const string Section = "TeamTalk:Directory";

    /// <summary>A gateway that has not announced itself for this long is treated as gone (gateways announce every few seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A gateway that has not announced itself for this long is no longer handed to discovery (it stays routable until
    /// <see cref="EntryLifetime"/>): at least twice the gateways' announce period (0.5 s by default), so that one late
    /// announcement does not hide a live gateway, and short enough that discovery stops naming a dead one within 2 s
    /// (at worst this plus one announce period: 1.5 s; 1.2 s left 1.3–1.8 s measured, too close to 2 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:05:00")]
    public TimeSpan DiscoveryLifetime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How stale the silo's cached copy of the live gateways (and their observers) may get.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RouteCacheLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of one call to a gateway observer; a slow gateway never holds up the others.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ObserverCallTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// When the cluster declares a silo dead, observer calls that were already on their way and are still unanswered
    /// this long after fail instead of waiting out <see cref="ObserverCallTimeout"/>: a call to a gateway can travel
    /// through the silo its client is connected to, and one carried by the dead silo is never answered. Pushes are
    /// then retried by their conversations (gateways drop what a connection already got). Zero: not cut.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan SiloLossGrace { get; set; } = TimeSpan.FromSeconds(0.5);
}
