namespace TeamTalk.Orleans.Blobs;

/// <summary>
/// Where file bytes live: offline files, msfs images and voice, audio messages. A blob is written once through an
/// <see cref="IBlobUpload"/> and becomes readable only when the upload is committed, under a name the store chooses.
/// References to blobs (which rows use which name) are kept by the callers in MySQL; whoever removes the last
/// reference deletes the blob. The filesystem implementation serves one machine; an S3-compatible one can replace it
/// for several (the same operations).
/// </summary>
public interface IBlobStore
{
    /// <summary>Starts writing a new blob under a temporary name that nobody can read.</summary>
    ValueTask<IBlobUpload> CreateAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a committed blob for reading (async, sequential); null when there is none by that name.</summary>
    ValueTask<Stream?> OpenReadAsync(BlobName name, CancellationToken cancellationToken = default);

    /// <summary>The size of a committed blob; null when there is none by that name.</summary>
    ValueTask<long?> GetLengthAsync(BlobName name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a committed blob; false when there was none by that name.</summary>
    ValueTask<bool> DeleteAsync(BlobName name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes uploads that were neither committed nor disposed (their process died mid-upload) and were last written
    /// before <paramref name="before"/>; returns how many.
    /// </summary>
    ValueTask<int> PurgeAbandonedUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
