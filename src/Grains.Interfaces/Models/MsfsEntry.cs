namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// An msfs file: the path we generated (<c>g0/NNN/MMM/&lt;name&gt;.&lt;ext&gt;</c>, as the client sees it), the blob
/// holding its bytes (32 hex digits), its content type, size in bytes and upload time (Unix seconds).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MsfsEntry(
    [property: Id(0)] string Path,
    [property: Id(1)] string BlobName,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long Size,
    [property: Id(4)] uint Created);
