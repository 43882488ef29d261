namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A file-connection PDU relayed to the other side of an online transfer: command id, seq and body as sent.</summary>
[GenerateSerializer, Immutable]
public sealed record FileFrame(
    [property: Id(0)] ushort CommandId,
    [property: Id(1)] ushort Seq,
    [property: Id(2)] byte[] Body);
