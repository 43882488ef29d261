using System.Collections.Concurrent;
using System.Globalization;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>The File transfer grain's rules: mode, roles, states, expiry (defect 41), the offline record and its deletion.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FileTransferTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_request_to_a_user_without_a_pc_connection_becomes_offline_with_the_gateways_file_addresses()
    {
        var users = await cluster.NewUsersAsync(2);
        var created = await NewTask().CreateAsync(new FileOffer(users[0], users[1], "a.txt", 10, FileTransferMode.Online));
        Assert.True(created.Ok);
        Assert.Equal(FileTransferMode.Offline, created.Mode);
        Assert.Equal([new FileAddress("127.0.0.1", 8600), new FileAddress("127.0.0.1", 8600)], created.Addresses);
    }

    [Fact]
    public async Task Online_sides_are_told_of_each_other_and_one_side_leaving_closes_the_other()
    {
        var users = await cluster.NewUsersAsync(2);
        await cluster.GatewayB.LoginAsync(users[1], DeviceType.Windows);
        var task = NewTask();
        Assert.Equal(FileTransferMode.Online, (await task.CreateAsync(new FileOffer(users[0], users[1], "b.bin", 5, FileTransferMode.Online))).Mode);
        var observer = new RecordingFileObserver();
        var reference = cluster.Grains.CreateObjectReference<IFileRelayObserver>(observer);
        var sender = new FilePeer("gw-a", 1, reference);
        var receiver = new FilePeer("gw-b", 2, reference);

        Assert.False((await task.LoginAsync(new FileLogin(users[1], FileRole.RealtimeSender, sender))).Ok);
        var first = await task.LoginAsync(new FileLogin(users[0], FileRole.RealtimeSender, sender));
        Assert.True(first.Ok);
        Assert.Null(first.Peer);
        Assert.False((await task.LoginAsync(new FileLogin(users[0], FileRole.RealtimeSender, sender))).Ok);
        var second = await task.LoginAsync(new FileLogin(users[1], FileRole.RealtimeReceiver, receiver));
        Assert.True(second.Ok);
        Assert.Equal(1, second.Peer?.ConnectionId);
        Assert.Equal(new[] { (1L, "ready 2") }, observer.Calls);

        await task.LeftAsync(FileRole.RealtimeReceiver, 2);
        Assert.Equal(new[] { (1L, "ready 2"), (1L, "gone") }, observer.Calls);
        Assert.False((await task.LoginAsync(new FileLogin(users[1], FileRole.RealtimeReceiver, receiver))).Ok);
    }

    [Fact]
    public async Task A_task_nobody_starts_within_its_lifetime_is_refused()
    {
        var users = await cluster.NewUsersAsync(2);
        var task = NewTask();
        Assert.True((await task.CreateAsync(new FileOffer(users[0], users[1], "late.txt", 10, FileTransferMode.Offline))).Ok);
        await cluster.AdvanceAsync(TimeSpan.FromMinutes(11));
        var login = await task.LoginAsync(new FileLogin(users[0], FileRole.OfflineUpload, Peer(1)));
        Assert.Equal("task expired", login.Refusal);
    }

    [Fact]
    public async Task An_offline_file_is_recorded_once_uploaded_indexed_by_its_sender_and_deleted_only_by_its_receiver()
    {
        var users = await cluster.NewUsersAsync(3);
        var task = NewTask(out var taskId);
        Assert.True((await task.CreateAsync(new FileOffer(users[0], users[1], "r.pdf", 10, FileTransferMode.Offline))).Ok);

        Assert.False((await task.LoginAsync(new FileLogin(users[1], FileRole.OfflineUpload, Peer(1)))).Ok);
        Assert.False((await task.LoginAsync(new FileLogin(users[1], FileRole.OfflineDownload, Peer(1)))).Ok);
        Assert.True((await task.LoginAsync(new FileLogin(users[0], FileRole.OfflineUpload, Peer(1)))).Ok);
        Assert.Equal("an upload is running", (await task.LoginAsync(new FileLogin(users[0], FileRole.OfflineUpload, Peer(2)))).Refusal);
        const string blob = "0123456789abcdef0123456789abcdef";
        Assert.False(await task.UploadedAsync(1, blob, 9));
        Assert.False(await task.UploadedAsync(2, blob, 10));
        Assert.True(await task.UploadedAsync(1, blob, 10));

        Assert.False((await task.LoginAsync(new FileLogin(users[2], FileRole.OfflineDownload, Peer(3)))).Ok);
        Assert.Equal(blob, (await task.LoginAsync(new FileLogin(users[1], FileRole.OfflineDownload, Peer(3)))).Blob);
        Assert.False(await task.AddOfflineAsync(users[1], users[0]));
        Assert.True(await task.AddOfflineAsync(users[0], users[1]));
        Assert.Equal([new OfflineFile(users[0], taskId, "r.pdf", 10)], await cluster.Grains.GetGrain<IOfflineFilesGrain>(0).ListAsync(users[1]));

        Assert.Equal(0, await task.DeleteOfflineAsync(users[2], users[0]));
        Assert.Equal(1, await task.DeleteOfflineAsync(users[1], users[0]));
        Assert.Empty(await cluster.Grains.GetGrain<IOfflineFilesGrain>(0).ListAsync(users[1]));
        Assert.Equal(0L, Convert.ToInt64(await cluster.Database.ScalarAsync(
            "SELECT COUNT(*) FROM TeamTalkOfflineFile WHERE taskId = @t", ("@t", taskId)), CultureInfo.InvariantCulture));
        Assert.False((await task.LoginAsync(new FileLogin(users[1], FileRole.OfflineDownload, Peer(3)))).Ok);
    }

    private IFileTransferGrain NewTask() => NewTask(out _);

    private IFileTransferGrain NewTask(out string taskId)
    {
        taskId = Guid.NewGuid().ToString("D");
        return cluster.Grains.GetGrain<IFileTransferGrain>(taskId);
    }

    private FilePeer Peer(long connectionId) =>
        new("gw-a", connectionId, cluster.Grains.CreateObjectReference<IFileRelayObserver>(new RecordingFileObserver()));

    private sealed class RecordingFileObserver : IFileRelayObserver
    {
        private readonly ConcurrentQueue<(long, string)> calls = new();

        public IReadOnlyList<(long ConnectionId, string What)> Calls => [.. calls];

        public Task PeerReadyAsync(long connectionId, FilePeer peer)
        {
            calls.Enqueue((connectionId, "ready " + peer.ConnectionId.ToString(CultureInfo.InvariantCulture)));
            return Task.CompletedTask;
        }

        public Task PeerGoneAsync(long connectionId)
        {
            calls.Enqueue((connectionId, "gone"));
            return Task.CompletedTask;
        }

        public Task<bool> RelayAsync(long connectionId, FileFrame frame) => Task.FromResult(false);
    }
}
