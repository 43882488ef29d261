namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A file one user offers another (<c>IMFileReq</c> with <c>from_user_id</c> forced to the sender).</summary>
[GenerateSerializer, Immutable]
public sealed record FileOffer(
    [property: Id(0)] uint FromUserId,
    [property: Id(1)] uint ToUserId,
    [property: Id(2)] string FileName,
    [property: Id(3)] uint FileSize,
    [property: Id(4)] FileTransferMode Mode);
