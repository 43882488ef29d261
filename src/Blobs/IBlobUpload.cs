namespace TeamTalk.Orleans.Blobs;

/// <summary>
/// One blob being written. Bytes are appended in order; <see cref="CommitAsync"/> makes the blob readable under its
/// name. Disposing an upload that was not committed deletes what was written, so an interrupted upload leaves nothing
/// that can be downloaded.
/// </summary>
public interface IBlobUpload : IAsyncDisposable
{
    /// <summary>The name the blob will have once committed.</summary>
    BlobName Name { get; }

    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    /// <summary>Appends bytes.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Flushes to stable storage and makes the blob readable under <see cref="Name"/>.</summary>
    ValueTask<BlobName> CommitAsync(CancellationToken cancellationToken = default);
}
