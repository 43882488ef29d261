namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A user's presence across all gateways.</summary>
[GenerateSerializer, Immutable]
public sealed record UserPresence(
    [property: Id(0)] uint UserId,
    [property: Id(1)] bool PcOnline,
    [property: Id(2)] int PcConnections,
    [property: Id(3)] int MobileConnections);
