using Microsoft.Extensions.Options;

namespace TeamTalk.Orleans.Blobs;

/// <summary>
/// The blob store on one machine's filesystem. A committed blob is <c>&lt;root&gt;/&lt;first two digits&gt;/&lt;name&gt;</c>;
/// an upload is written to <c>&lt;root&gt;/.incoming/&lt;name&gt;.part</c>, flushed to disk and renamed into place on
/// commit (a rename within one filesystem is atomic), so a reader sees a whole blob or none.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const string IncomingDirectory = ".incoming";
    private const string PartSuffix = ".part";
    private const int BufferSize = 64 * 1024;

    private readonly string _root;
    private readonly string _incoming;

    public FileSystemBlobStore(IOptions<BlobStoreOptions> options)
        : this(options.Value.Directory)
    {
    }

    public FileSystemBlobStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _root = Path.GetFullPath(directory);
        _incoming = Path.Combine(_root, IncomingDirectory);
        Directory.CreateDirectory(_incoming);
    }

    /// <summary>The store's root directory (absolute).</summary>
    public string Root => _root;

    /// <inheritdoc />
    public ValueTask<IBlobUpload> CreateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = BlobName.New();
        var partPath = Path.Combine(_incoming, name.Value + PartSuffix);
        var stream = new FileStream(partPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = BufferSize,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        return ValueTask.FromResult<IBlobUpload>(new Upload(this, name, partPath, stream));
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenReadAsync(BlobName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(PathOf(name), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return ValueTask.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ValueTask.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public ValueTask<long?> GetLengthAsync(BlobName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new FileInfo(PathOf(name));
        return ValueTask.FromResult<long?>(info.Exists ? info.Length : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(BlobName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return ValueTask.FromResult(false);
        }

        File.Delete(path);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAbandonedUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var deleted = 0;
        foreach (var file in new DirectoryInfo(_incoming).EnumerateFiles("*" + PartSuffix))
        {
            if (file.LastWriteTimeUtc < before.UtcDateTime)
            {
                file.Delete();
                deleted++;
            }
        }

        return ValueTask.FromResult(deleted);
    }

    private string PathOf(BlobName name) => Path.Combine(_root, name.Value[..2], name.Value);

    private sealed class Upload(FileSystemBlobStore store, BlobName name, string partPath, FileStream stream) : IBlobUpload
    {
        private bool _committed;
        private bool _disposed;

        public BlobName Name => name;

        public long Length { get; private set; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_disposed || _committed, this);
            await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            Length += data.Length;
        }

        public async ValueTask<BlobName> CommitAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_disposed || _committed, this);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            // There is no asynchronous fsync in .NET; this is one system call per blob, at its end.
            RandomAccess.FlushToDisk(stream.SafeFileHandle);
            await stream.DisposeAsync().ConfigureAwait(false);
            var target = store.PathOf(name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(partPath, target, overwrite: false);
            _committed = true;
            return name;
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_committed)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                File.Delete(partPath);
            }
        }
    }
}
