namespace TeamTalk.Orleans.Grains.Models;

/// <summary>Names one client connection in the cluster: the gateway process holding it and its id there.</summary>
[GenerateSerializer, Immutable]
public sealed record ConnectionRef([property: Id(0)] string GatewayId, [property: Id(1)] long ConnectionId);

/// <summary>A logged-in connection of a user, with its device type.</summary>
[GenerateSerializer, Immutable]
public sealed record UserConnection([property: Id(0)] ConnectionRef Connection, [property: Id(1)] DeviceType Device);
