namespace TeamTalk.Orleans.Grains.Models;

/// <summary>What <see cref="IUserGrain.ConnectAsync"/> tells the gateway about the new connection.</summary>
/// <param name="PcOnline">The user has a PC-class connection now: a new mobile connection is told so after its login reply.</param>
[GenerateSerializer, Immutable]
public sealed record ConnectOutcome([property: Id(0)] bool PcOnline);
