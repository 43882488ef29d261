namespace TeamTalk.Orleans.Grains.Models;

/// <summary>The answer to a push-shield request (behaviour.md 3.3.5, 3.3.6).</summary>
/// <param name="Ok">False when the user's row does not exist or the value does not fit the column (the reply's result code 1).</param>
/// <param name="ShieldStatus">The flag (1 = do not disturb, 0 = off) when <paramref name="Ok"/>.</param>
[GenerateSerializer, Immutable]
public sealed record PushShield([property: Id(0)] bool Ok, [property: Id(1)] uint ShieldStatus);
