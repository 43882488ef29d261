using System.Security.Cryptography;
using TeamTalk.Orleans.Blobs;

namespace TeamTalk.Orleans.UnitTests.Blobs;

public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tt-blobs-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemBlobStore _store;

    public FileSystemBlobStoreTests() => _store = new FileSystemBlobStore(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_committed_upload_reads_back_byte_for_byte()
    {
        var data = RandomNumberGenerator.GetBytes(200_001);
        BlobName name;
        await using (var upload = await _store.CreateAsync())
        {
            // Uneven chunks, as a file connection or a multipart body hands them over.
            for (var offset = 0; offset < data.Length; offset += 32_768 + 7)
            {
                await upload.WriteAsync(data.AsMemory(offset, Math.Min(32_768 + 7, data.Length - offset)));
            }

            Assert.Equal(data.Length, upload.Length);
            name = await upload.CommitAsync();
            Assert.Equal(upload.Name, name);
        }

        Assert.Equal(data.Length, await _store.GetLengthAsync(name));
        await using var read = await _store.OpenReadAsync(name);
        Assert.NotNull(read);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task An_empty_blob_commits()
    {
        await using var upload = await _store.CreateAsync();
        var name = await upload.CommitAsync();
        Assert.Equal(0, await _store.GetLengthAsync(name));
    }

    [Fact]
    public async Task An_upload_that_is_not_committed_leaves_nothing_readable_and_nothing_on_disk()
    {
        BlobName name;
        await using (var upload = await _store.CreateAsync())
        {
            await upload.WriteAsync(new byte[] { 1, 2, 3 });
            name = upload.Name;
            Assert.Null(await _store.OpenReadAsync(name));
        }

        Assert.Null(await _store.OpenReadAsync(name));
        Assert.Null(await _store.GetLengthAsync(name));
        Assert.Empty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Delete_removes_a_blob_once()
    {
        await using var upload = await _store.CreateAsync();
        await upload.WriteAsync(new byte[] { 42 });
        var name = await upload.CommitAsync();

        Assert.True(await _store.DeleteAsync(name));
        Assert.False(await _store.DeleteAsync(name));
        Assert.Null(await _store.OpenReadAsync(name));
    }

    [Fact]
    public async Task Abandoned_uploads_are_purged_by_age()
    {
        var abandoned = await _store.CreateAsync();
        await abandoned.WriteAsync(new byte[] { 9 });
        // A process that died mid-upload never disposes: the part file stays until purged.
        var partFiles = Directory.GetFiles(Path.Combine(_directory, ".incoming"));
        Assert.Single(partFiles);

        Assert.Equal(0, await _store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow.AddHours(-1)));
        File.SetLastWriteTimeUtc(partFiles[0], DateTime.UtcNow.AddDays(-2));
        Assert.Equal(1, await _store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, ".incoming")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789abcdef0123456789abcdeF")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef/123456789abcdef")]
    [InlineData("0123456789abcdef.123456789abcdef")]
    public void Names_that_are_not_32_lowercase_hex_digits_do_not_parse(string text) =>
        Assert.False(BlobName.TryParse(text, out _));

    [Fact]
    public void New_names_parse_and_differ()
    {
        var a = BlobName.New();
        var b = BlobName.New();
        Assert.NotEqual(a, b);
        Assert.True(BlobName.TryParse(a.Value, out var parsed));
        Assert.Equal(a, parsed);
    }
}
