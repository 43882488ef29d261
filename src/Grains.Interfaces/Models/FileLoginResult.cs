namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// The answer to a file login. Refused: <see cref="Refusal"/> says why (logged by the gateway). Accepted: the task's
/// offer; for an online side the other side when it is there already; for a download the stored blob's name.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FileLoginResult(
    [property: Id(0)] string? Refusal,
    [property: Id(1)] FileOffer? Offer,
    [property: Id(2)] FilePeer? Peer,
    [property: Id(3)] string? Blob)
{
    public bool Ok => Refusal is null;

    public static FileLoginResult Refused(string reason) => new(reason, null, null, null);
}
