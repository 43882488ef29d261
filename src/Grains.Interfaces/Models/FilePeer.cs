namespace TeamTalk.Orleans.Grains.Models;

/// <summary>One side of an online transfer: its file connection and the observer of the gateway holding it.</summary>
[GenerateSerializer, Immutable]
public sealed record FilePeer(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] long ConnectionId,
    [property: Id(2)] IFileRelayObserver Observer);
