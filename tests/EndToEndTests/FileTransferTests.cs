using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.File;
using Xunit.Abstractions;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>One silo and two gateways (production profile), each gateway with its file port, sharing one blob store.</summary>
public sealed class FileClusterFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync(production: true);
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>File transfers (behaviour.md 3.8, 5): online between gateways, offline through the blob store, bad input.</summary>
public sealed class FileTransferTests(FileClusterFixture fixture, ITestOutputHelper output) : IClassFixture<FileClusterFixture>
{
    private static readonly TimeSpan Reply = Clients.Reply;

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_5_MiB_online_transfer_between_two_gateways_arrives_identical_and_both_connections_end()
    {
        var (a, b) = (Cluster.Gateways[0], Cluster.Gateways[1]);
        var ids = await Cluster.Database.SeedUsersAsync(["fsend", "frecv"]);
        await using var sender = await Clients.LoginAsync(a, "fsend");
        await using var receiver = await Clients.LoginAsync(b, "frecv");
        var data = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);

        var offer = await RequestAsync(sender, ids[1], "movie.bin", (uint)data.Length, TransferFileType.FileTypeOnline);
        Assert.Equal(0u, offer.ResultCode);
        Assert.Equal(TransferFileType.FileTypeOnline, offer.TransMode);
        Assert.Equal(36, offer.TaskId.Length);
        Assert.Contains(offer.IpAddrList, ip => ip.Ip == "127.0.0.1" && ip.Port == (uint)a.FileTcpPort);
        Assert.Contains(offer.IpAddrList, ip => ip.Ip == "127.0.0.1" && ip.Port == (uint)b.FileTcpPort);
        Assert.DoesNotContain(offer.IpAddrList, ip => ip.Ip == "0.0.0.0");
        var notify = await receiver.ReceiveAsync(CommandKeys.FileNotify, Reply);
        Assert.NotNull(notify);
        var notice = notify.Parse<IMFileNotify>();
        Assert.Equal((ids[0], offer.TaskId, (uint)data.Length, 0u), (notice.FromUserId, notice.TaskId, notice.FileSize, notice.OfflineReady));

        var (senderLogin, senderFiles) = await FileTransferClient.LoginAsync("127.0.0.1", a.FileTcpPort, ids[0], offer.TaskId, ClientFileRole.ClientRealtimeSender, Reply);
        await using var senderSide = senderFiles;
        Assert.Equal(0u, senderLogin?.ResultCode);
        var (receiverLogin, receiverFiles) = await FileTransferClient.LoginAsync("127.0.0.1", b.FileTcpPort, ids[1], offer.TaskId, ClientFileRole.ClientRealtimeRecver, Reply);
        await using var receiverSide = receiverFiles;
        Assert.Equal(0u, receiverLogin?.ResultCode);

        var servers = Cluster.Gateways.Select(g => g.Process.Pid).Concat(Cluster.Silos.Select(s => s.Process.Pid)).ToArray();
        var cpuBefore = CpuTime(servers);
        var clock = Stopwatch.StartNew();
        var serving = senderSide.ServeAsync(data, Reply);
        var received = await receiverSide.PullAsync((uint)data.Length, FileTransferClient.ChunkSize, window: 8, Reply);
        var final = await serving;
        clock.Stop();
        var cpu = CpuTime(servers) - cpuBefore;

        Assert.NotNull(received);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
        Assert.Equal(ClientFileState.ClientFileDone, final?.State);
        Assert.True(await receiverSide.Connection.WaitClosedAsync(Reply), "the receiver's connection is closed after its done state");
        Assert.True(await senderSide.Connection.WaitClosedAsync(Reply), "the sender's connection is closed when the other side left");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"5 MiB relayed gateway to gateway in {clock.Elapsed.TotalMilliseconds:F0} ms: {5 / clock.Elapsed.TotalSeconds:F1} MiB/s; server CPU (2 gateways + silo) {cpu.TotalMilliseconds:F0} ms, {cpu.TotalMilliseconds / 5:F0} ms per MiB"));
    }

    [Fact]
    public async Task An_offline_file_is_uploaded_listed_downloaded_identical_and_deleted_with_its_blob()
    {
        var (a, b) = (Cluster.Gateways[0], Cluster.Gateways[1]);
        var ids = await Cluster.Database.SeedUsersAsync(["osend", "orecv"]);
        await using var sender = await Clients.LoginAsync(a, "osend");
        var data = RandomNumberGenerator.GetBytes((1024 * 1024) + 1);
        var before = StoredBlobs();

        // The receiver is offline: an online request becomes offline.
        var offer = await RequestAsync(sender, ids[1], "report.pdf", (uint)data.Length, TransferFileType.FileTypeOnline);
        Assert.Equal((0u, TransferFileType.FileTypeOffline), (offer.ResultCode, offer.TransMode));
        var (uploadLogin, uploader) = await FileTransferClient.LoginAsync("127.0.0.1", a.FileTcpPort, ids[0], offer.TaskId, ClientFileRole.ClientOfflineUpload, Reply);
        await using (uploader)
        {
            Assert.Equal(0u, uploadLogin?.ResultCode);
            var done = await uploader.UploadAsync(data, Reply);
            Assert.Equal((ClientFileState.ClientFileDone, ids[0]), (done?.State, done?.UserId));
            Assert.True(await uploader.Connection.WaitClosedAsync(Reply));
        }

        Assert.Single(StoredBlobs().Except(before));
        await sender.SendAsync(CommandKeys.FileAddOfflineRequest, new IMFileAddOfflineReq
        {
            FromUserId = 0,
            ToUserId = ids[1],
            TaskId = offer.TaskId,
            FileName = "ignored",
            FileSize = 1,
        });

        await using var receiver = await Clients.LoginAsync(b, "orecv");
        var list = await Eventually.ValueAsync(() => HasOfflineAsync(receiver), l => l.OfflineFileList.Count == 1, "has-offline lists the file");
        var file = list.OfflineFileList[0];
        Assert.Equal((ids[0], offer.TaskId, "report.pdf", (uint)data.Length), (file.FromUserId, file.TaskId, file.FileName, file.FileSize));
        Assert.Contains(list.IpAddrList, ip => ip.Port == (uint)b.FileTcpPort);

        var (downloadLogin, downloader) = await FileTransferClient.LoginAsync("127.0.0.1", b.FileTcpPort, ids[1], offer.TaskId, ClientFileRole.ClientOfflineDownload, Reply);
        await using (downloader)
        {
            Assert.Equal(0u, downloadLogin?.ResultCode);
            var (bytes, done) = await downloader.DownloadAsync(file.FileSize, Reply);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(bytes));
            Assert.Equal((ClientFileState.ClientFileDone, ids[0]), (done?.State, done?.UserId));
            Assert.True(await downloader.Connection.WaitClosedAsync(Reply));
        }

        // Only the receiver deletes (defect 5): the sender's request changes nothing.
        await sender.SendAsync(CommandKeys.FileDelOfflineRequest, new IMFileDelOfflineReq { FromUserId = ids[0], ToUserId = ids[0], TaskId = offer.TaskId });
        await receiver.SendAsync(CommandKeys.FileDelOfflineRequest, new IMFileDelOfflineReq { FromUserId = ids[0], ToUserId = ids[1], TaskId = offer.TaskId });
        await Eventually.ValueAsync(() => HasOfflineAsync(receiver), l => l.OfflineFileList.Count == 0, "has-offline no longer lists the file");
        await Eventually.SucceedsAsync(Reply, () => Task.FromResult(StoredBlobs().SetEquals(before)), "the stored file is deleted");
        await AssertLoginRefusedAsync(b, ids[1], offer.TaskId, ClientFileRole.ClientOfflineDownload);
    }

    [Fact]
    public async Task A_zero_byte_offline_file_completes_and_keeps_its_name()
    {
        var a = Cluster.Gateways[0];
        var ids = await Cluster.Database.SeedUsersAsync(["zsend", "zrecv"]);
        await using var sender = await Clients.LoginAsync(a, "zsend");
        var offer = await RequestAsync(sender, ids[1], "empty.txt", 0, TransferFileType.FileTypeOffline);
        var (login, uploader) = await FileTransferClient.LoginAsync("127.0.0.1", a.FileTcpPort, ids[0], offer.TaskId, ClientFileRole.ClientOfflineUpload, Reply);
        await using (uploader)
        {
            Assert.Equal(0u, login?.ResultCode);
            Assert.Equal(ClientFileState.ClientFileDone, (await uploader.UploadAsync(Array.Empty<byte>(), Reply))?.State);
        }

        await sender.SendAsync(CommandKeys.FileAddOfflineRequest, new IMFileAddOfflineReq { FromUserId = ids[0], ToUserId = ids[1], TaskId = offer.TaskId, FileName = "x", FileSize = 9 });
        await using var receiver = await Clients.LoginAsync(a, "zrecv");
        var list = await Eventually.ValueAsync(() => HasOfflineAsync(receiver), l => l.OfflineFileList.Count == 1, "has-offline lists the empty file");
        Assert.Equal(("empty.txt", 0u), (list.OfflineFileList[0].FileName, list.OfflineFileList[0].FileSize));
        var (downloadLogin, downloader) = await FileTransferClient.LoginAsync("127.0.0.1", a.FileTcpPort, ids[1], offer.TaskId, ClientFileRole.ClientOfflineDownload, Reply);
        await using (downloader)
        {
            Assert.Equal(0u, downloadLogin?.ResultCode);
            var (bytes, done) = await downloader.DownloadAsync(0, Reply);
            Assert.Empty(bytes);
            Assert.Equal(ClientFileState.ClientFileDone, done?.State);
        }
    }

    [Fact]
    public async Task Wrong_roles_users_and_task_ids_are_refused_and_closed()
    {
        var a = Cluster.Gateways[0];
        var ids = await Cluster.Database.SeedUsersAsync(["rsend", "rrecv", "rother"]);
        await using var sender = await Clients.LoginAsync(a, "rsend");
        var offer = await RequestAsync(sender, ids[1], "a.txt", 10, TransferFileType.FileTypeOffline);

        await AssertLoginRefusedAsync(a, ids[0], offer.TaskId, ClientFileRole.ClientRealtimeSender);
        await AssertLoginRefusedAsync(a, ids[1], offer.TaskId, ClientFileRole.ClientOfflineUpload);
        await AssertLoginRefusedAsync(a, ids[2], offer.TaskId, ClientFileRole.ClientOfflineUpload);
        await AssertLoginRefusedAsync(a, ids[1], offer.TaskId, ClientFileRole.ClientOfflineDownload);
        await AssertLoginRefusedAsync(a, ids[1], Guid.NewGuid().ToString("D"), ClientFileRole.ClientOfflineDownload);
        await AssertLoginRefusedAsync(a, ids[1], "../../etc/passwd", ClientFileRole.ClientOfflineDownload);

        // A PDU before the login closes the connection without a reply.
        await using var early = await TeamTalkClient.ConnectAsync("127.0.0.1", a.FileTcpPort);
        await early.SendAsync(CommandKeys.FilePullDataRequest, new IMFilePullDataReq { TaskId = offer.TaskId, UserId = ids[1], TransMode = TransferFileType.FileTypeOffline, Offset = 0, DataSize = 10 });
        Assert.True(await early.WaitClosedAsync(Reply));
    }

    [Theory]
    [InlineData("wrong offset")]
    [InlineData("short chunk")]
    [InlineData("abandoned")]
    public async Task A_bad_or_abandoned_upload_is_closed_and_leaves_nothing_to_download(string fault)
    {
        var a = Cluster.Gateways[0];
        var names = new[] { "bsend" + fault[..2], "brecv" + fault[..2] };
        var ids = await Cluster.Database.SeedUsersAsync(names);
        await using var sender = await Clients.LoginAsync(a, names[0]);
        var size = (uint)(3 * FileTransferClient.ChunkSize) + 7;
        var before = StoredBlobs();
        var offer = await RequestAsync(sender, ids[1], "half.bin", size, TransferFileType.FileTypeOffline);
        var (login, uploader) = await FileTransferClient.LoginAsync("127.0.0.1", a.FileTcpPort, ids[0], offer.TaskId, ClientFileRole.ClientOfflineUpload, Reply);
        await using (uploader)
        {
            Assert.Equal(0u, login?.ResultCode);
            var first = await uploader.Connection.ReceiveAsync(CommandKeys.FilePullDataRequest, Reply);
            Assert.NotNull(first);
            var pull = first.Parse<IMFilePullDataReq>();
            Assert.Equal((0u, (uint)FileTransferClient.ChunkSize), (pull.Offset, pull.DataSize));
            var chunk = new IMFilePullDataRsp
            {
                ResultCode = 0,
                TaskId = offer.TaskId,
                UserId = ids[0],
                Offset = fault == "wrong offset" ? 5u : 0u,
                FileData = Google.Protobuf.ByteString.CopyFrom(new byte[fault == "short chunk" ? 100 : FileTransferClient.ChunkSize]),
            };
            await uploader.Connection.SendAsync(CommandKeys.FilePullDataResponse, chunk);
            if (fault == "abandoned")
            {
                Assert.NotNull(await uploader.Connection.ReceiveAsync(CommandKeys.FilePullDataRequest, Reply));
            }
            else
            {
                Assert.True(await uploader.Connection.WaitClosedAsync(Reply), $"{fault}: the connection is closed");
            }
        }

        await sender.SendAsync(CommandKeys.FileAddOfflineRequest, new IMFileAddOfflineReq { FromUserId = ids[0], ToUserId = ids[1], TaskId = offer.TaskId, FileName = "half.bin", FileSize = size });
        await Eventually.SucceedsAsync(Reply, () => Task.FromResult(StoredBlobs().SetEquals(before) && !Directory.EnumerateFiles(Incoming()).Any()), "nothing stored, no upload left behind");
        await AssertLoginRefusedAsync(a, ids[1], offer.TaskId, ClientFileRole.ClientOfflineDownload);
        await using var receiver = await Clients.LoginAsync(a, names[1]);
        Assert.Empty((await HasOfflineAsync(receiver)).OfflineFileList);
    }

    private static TimeSpan CpuTime(int[] pids) =>
        pids.Aggregate(TimeSpan.Zero, (sum, pid) =>
        {
            using var process = Process.GetProcessById(pid);
            return sum + process.TotalProcessorTime;
        });

    private static async Task AssertLoginRefusedAsync(GatewayHandle gateway, uint userId, string taskId, ClientFileRole role)
    {
        var (reply, client) = await FileTransferClient.LoginAsync("127.0.0.1", gateway.FileTcpPort, userId, taskId, role, Reply);
        await using (client)
        {
            Assert.Equal(1u, reply?.ResultCode);
            Assert.Equal(taskId, reply?.TaskId);
            Assert.True(await client.Connection.WaitClosedAsync(Reply), $"a refused {role} login to {taskId} closes the connection");
        }
    }

    internal static async Task<IMFileRsp> RequestAsync(TeamTalkClient client, uint to, string name, uint size, TransferFileType mode)
    {
        var seq = await client.SendAsync(CommandKeys.FileRequest, new IMFileReq { FromUserId = 0, ToUserId = to, FileName = name, FileSize = size, TransMode = mode });
        var reply = await client.ReceiveAsync(CommandKeys.FileResponse, Reply);
        Assert.NotNull(reply);
        Assert.Equal(seq, reply.Header.SeqNum);
        var body = reply.Parse<IMFileRsp>();
        Assert.Equal(0u, body.ResultCode);
        return body;
    }

    internal static async Task<IMFileHasOfflineRsp> HasOfflineAsync(TeamTalkClient client)
    {
        var seq = await client.SendAsync(CommandKeys.FileHasOfflineRequest, new IMFileHasOfflineReq { UserId = 0 });
        var reply = await client.ReceiveAsync(CommandKeys.FileHasOfflineResponse, Reply);
        Assert.NotNull(reply);
        Assert.Equal(seq, reply.Header.SeqNum);
        return reply.Parse<IMFileHasOfflineRsp>();
    }

    /// <summary>The committed blobs of the cluster's store (uploads in progress excluded).</summary>
    private HashSet<string> StoredBlobs() => Directory.Exists(Cluster.BlobDirectory)
        ? [.. Directory.EnumerateFiles(Cluster.BlobDirectory, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(Incoming(), StringComparison.Ordinal))]
        : [];

    private string Incoming() => Path.Combine(Cluster.BlobDirectory, ".incoming");
}
