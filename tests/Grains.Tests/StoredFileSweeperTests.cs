using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Data;
using TeamTalk.Orleans.Data.Files;
using TeamTalk.Orleans.Grains.Files;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>The sweep of stored files: uploads nobody offered go with their blobs after their lifetime, offered ones stay.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StoredFileSweeperTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"tt-sweep-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private MySqlDataSource? dataSource;

    public Task InitializeAsync()
    {
        dataSource = new MySqlDataSource(cluster.Database.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }

        System.IO.Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Uploads_nobody_offered_are_deleted_with_their_blobs_after_their_lifetime_and_offered_ones_stay()
    {
        var blobs = new FileSystemBlobStore(directory);
        var store = new OfflineFileStore(new Database(dataSource!, TimeProvider.System));
        var users = await cluster.NewUsersAsync(2);
        var now = (uint)clock.GetUtcNow().ToUnixTimeSeconds();
        var twoHoursAgo = now - 7200;

        var unoffered = await SaveAsync(blobs, store, users, twoHoursAgo);
        var offered = await SaveAsync(blobs, store, users, twoHoursAgo);
        await store.AddIndexAsync(offered, twoHoursAgo);
        var recent = await SaveAsync(blobs, store, users, now - 60);

        // A gateway that died mid-upload left a part behind, two days ago.
        var partial = await blobs.CreateAsync();
        await partial.WriteAsync(new byte[] { 7 });
        File.SetLastWriteTimeUtc(System.IO.Directory.GetFiles(Path.Combine(directory, ".incoming")).Single(), clock.GetUtcNow().UtcDateTime.AddDays(-2));

        var sweeper = new StoredFileSweeper(store, blobs, Options.Create(new FileTransferOptions()), clock, NullLogger<StoredFileSweeper>.Instance);
        var (uploads, partials) = await sweeper.SweepAsync();

        Assert.True(uploads >= 1);
        Assert.Equal(1, partials);
        Assert.Null(await store.FindAsync(unoffered.TaskId));
        Assert.Null(await blobs.GetLengthAsync(Name(unoffered)));
        Assert.NotNull(await store.FindAsync(offered.TaskId));
        Assert.Equal(3, await blobs.GetLengthAsync(Name(offered)));
        Assert.NotNull(await store.FindAsync(recent.TaskId));
        Assert.Equal(3, await blobs.GetLengthAsync(Name(recent)));
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(directory, ".incoming")));

        // A second sweep finds nothing of these.
        await sweeper.SweepAsync();
        Assert.NotNull(await store.FindAsync(offered.TaskId));
        Assert.NotNull(await store.FindAsync(recent.TaskId));
    }

    private static BlobName Name(StoredFile file) => BlobName.TryParse(file.Blob, out var name) ? name.Value : throw new InvalidOperationException(file.Blob);

    private static async Task<StoredFile> SaveAsync(FileSystemBlobStore blobs, OfflineFileStore store, uint[] users, uint created)
    {
        await using var upload = await blobs.CreateAsync();
        await upload.WriteAsync(new byte[] { 1, 2, 3 });
        var name = await upload.CommitAsync();
        var file = new StoredFile(Guid.NewGuid().ToString(), name.Value, users[0], users[1], "report.pdf", 3);
        await store.SaveAsync(file, created);
        return file;
    }
}
