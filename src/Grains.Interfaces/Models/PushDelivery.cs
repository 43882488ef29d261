namespace TeamTalk.Orleans.Grains.Models;

/// <summary>Pushes to queue, in order, on each of the given connections of one gateway.</summary>
[GenerateSerializer, Immutable]
public sealed record PushDelivery(
    [property: Id(0)] long[] ConnectionIds,
    [property: Id(1)] ClientPush[] Pushes);
