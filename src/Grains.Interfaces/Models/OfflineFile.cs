namespace TeamTalk.Orleans.Grains.Models;

/// <summary>An offline file waiting for its receiver (<c>OfflineFileInfo</c>, from <c>IMTransmitFile</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record OfflineFile(
    [property: Id(0)] uint FromUserId,
    [property: Id(1)] string TaskId,
    [property: Id(2)] string FileName,
    [property: Id(3)] uint FileSize);
