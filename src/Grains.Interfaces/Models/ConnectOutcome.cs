namespace TeamTalk.Orleans.Grains.Models;

/// <summary>What <see cref="IUserGrain.ConnectAsync"/> tells the gateway about the new connection.</summary>
/// <param name="PcOnline">The user has a PC-class connection now: a new mobile connection is told so after its login reply.</param>
/// <param name="Kicked">
/// How many older connections of the same device class the login kicked. Their <c>IMKickUser</c> is on its way, not
/// necessarily delivered: the login does not wait for the kicked connections' gateways.
/// </param>
[GenerateSerializer, Immutable]
public sealed record ConnectOutcome([property: Id(0)] bool PcOnline, [property: Id(1)] int Kicked = 0);
