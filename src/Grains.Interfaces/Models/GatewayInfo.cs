namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// What a gateway announces about itself: its unique id (one per process start), the addresses and TCP port clients
/// connect to (messages; files, 0 when it serves none), its load (logged-in connections out of the maximum it accepts) and the
/// chat messages (<c>CID_MSG_DATA</c>) it accepted per second over its last announcement period.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GatewayInfo(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] string Address,
    [property: Id(2)] string Address2,
    [property: Id(3)] int TcpPort,
    [property: Id(4)] int LoggedInConnections,
    [property: Id(5)] int MaxConnections,
    [property: Id(6)] int FileTcpPort = 0,
    [property: Id(7)] double MessagesPerSecond = 0);

/// <summary>A live gateway and the observer through which grains reach its connections.</summary>
[GenerateSerializer, Immutable]
public sealed record GatewayRoute([property: Id(0)] GatewayInfo Info, [property: Id(1)] IGatewayObserver Observer);
