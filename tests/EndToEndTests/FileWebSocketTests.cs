using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.File;
using TeamTalk.Orleans.Protocol.Messages.Other;
using Xunit.Abstractions;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// <c>/ws/file</c> against the real gateway: the file protocol (behaviour.md 5) over a WebSocket, one frame per binary
/// message, as the web client downloads offline files. A file uploaded by a native client over the TCP file port is
/// downloaded byte for byte, only by its receiver; bad input is logged and closes that socket, and the TCP file port and
/// other file connections keep working.
/// </summary>
public sealed class FileWebSocketTests(WebSocketFixture fixture, ITestOutputHelper output) : IClassFixture<WebSocketFixture>
{
    private const string FilePath = "/ws/file";

    public static TheoryData<string> BadInputs => ["text", "oversized", "garbage protobuf", "pull before login"];

    private static TimeSpan Reply => Clients.Reply;

    private GatewayHandle Gateway => fixture.Gateway;

    [Fact]
    public async Task An_offline_file_uploaded_over_TCP_is_downloaded_over_the_file_WebSocket_identical_and_only_by_its_receiver()
    {
        var ids = await fixture.Cluster.Database.SeedUsersAsync(["wfsend", "wfrecv"]);
        await using var sender = await Clients.LoginAsync(Gateway, "wfsend");
        var data = RandomNumberGenerator.GetBytes((4 * 1024 * 1024) + 123);
        var taskId = await UploadOfflineAsync(sender, ids[0], ids[1], "notes.bin", data);

        // The same download over the TCP file port first (a stored file may be downloaded again until deleted): it warms
        // the task grain and the blob store, so that the timings below compare the transports.
        await DownloadOverTcpAsync(ids[1], taskId, data);

        // As over TCP, the task decides who may download: the sender claiming the receiver's role is refused and closed.
        await using (var wrong = await WebSocketClient.ConnectAsync(Gateway, path: FilePath))
        {
            var refused = await LoginAsync(wrong, ids[0], taskId);
            Assert.Equal((1u, taskId), (refused?.ResultCode, refused?.TaskId));
            Assert.True(await wrong.WaitClosedAsync(Reply), "a refused file login closes the socket");
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, wrong.CloseStatus);
        }

        var clock = Stopwatch.StartNew();
        await using var web = await WebSocketClient.ConnectAsync(Gateway, $"http://127.0.0.1:{Gateway.HttpPort}", FilePath);
        var login = await LoginAsync(web, ids[1], taskId);
        Assert.Equal((0u, taskId), (login?.ResultCode, login?.TaskId));
        var received = new byte[data.Length];
        uint offset = 0;
        while (offset < data.Length)
        {
            var seq = await web.SendAsync(CommandKeys.FilePullDataRequest, new IMFilePullDataReq
            {
                TaskId = taskId,
                UserId = ids[1],
                TransMode = TransferFileType.FileTypeOffline,
                Offset = offset,
                DataSize = FileTransferClient.ChunkSize,
            });
            var reply = await web.ReceiveAsync(CommandKeys.FilePullDataResponse, Reply);
            Assert.NotNull(reply);
            Assert.Equal(seq, reply.Header.SeqNum);
            var chunk = reply.Parse<IMFilePullDataRsp>();
            Assert.Equal((0u, offset, ids[1]), (chunk.ResultCode, chunk.Offset, chunk.UserId));
            Assert.Equal((int)Math.Min(FileTransferClient.ChunkSize, data.Length - offset), chunk.FileData.Length);
            chunk.FileData.Span.CopyTo(received.AsSpan((int)offset));
            offset += (uint)chunk.FileData.Length;
        }

        var done = (await web.ReceiveAsync(CommandKeys.FileState, Reply))?.Parse<IMFileState>();
        clock.Stop();
        Assert.Equal((ClientFileState.ClientFileDone, taskId, ids[0]), (done?.State, done?.TaskId, done?.UserId));
        var tcpClock = Stopwatch.StartNew();
        await DownloadOverTcpAsync(ids[1], taskId, data);
        tcpClock.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"4 MiB offline download, one 32 KiB chunk in flight: /ws/file {clock.Elapsed.TotalMilliseconds:F0} ms ({4 / clock.Elapsed.TotalSeconds:F1} MiB/s), TCP file port {tcpClock.Elapsed.TotalMilliseconds:F0} ms ({4 / tcpClock.Elapsed.TotalSeconds:F1} MiB/s)"));
        Assert.True(await web.WaitClosedAsync(Reply), "the socket is closed after the done state");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, web.CloseStatus);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_on_the_file_endpoint_as_on_the_message_endpoint()
    {
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(Gateway, "http://evil.example", FilePath));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        await using var own = await WebSocketClient.ConnectAsync(Gateway, $"http://127.0.0.1:{Gateway.HttpPort}", FilePath);
        Assert.True(await HeartbeatEchoedAsync(own), "the gateway's own origin is served");
    }

    [Fact]
    public async Task The_web_client_downloads_an_offline_file_from_a_native_client_byte_for_byte_and_it_leaves_the_list()
    {
        var ids = await fixture.Cluster.Database.SeedUsersAsync(["wfalice", "wfbob"]);
        await using var alice = await Clients.LoginAsync(Gateway, "wfalice");
        var data = RandomNumberGenerator.GetBytes((5 * FileTransferClient.ChunkSize) + 777);
        const string Name = "quarterly report.pdf";
        await UploadOfflineAsync(alice, ids[0], ids[1], Name, data);

        File.Delete(Path.Combine(BrowserScript.Screenshots, "web-files.png"));
        await BrowserScript.RunAsync(
            "browser-files.mjs", "FILES", $"http://127.0.0.1:{Gateway.HttpPort}/", "wfbob", TestDatabase.Password, Name,
            Convert.ToHexStringLower(SHA256.HashData(data)), BrowserScript.Screenshots);
        Assert.True(File.Exists(Path.Combine(BrowserScript.Screenshots, "web-files.png")));

        // The page told the server the download is done: bob's phone no longer lists the file.
        await using var phone = await Clients.LoginAsync(Gateway, "wfbob", ClientType.Android);
        await Eventually.ValueAsync(() => FileTransferTests.HasOfflineAsync(phone), l => l.OfflineFileList.Count == 0, "the downloaded file is no longer listed");
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_logged_and_closes_that_file_WebSocket_and_the_TCP_file_port_and_other_file_sockets_keep_working(string input)
    {
        await using var bystander = await WebSocketClient.ConnectAsync(Gateway, path: FilePath);
        await using var tcp = await TeamTalkClient.ConnectAsync("127.0.0.1", Gateway.FileTcpPort);
        var logBefore = Gateway.Process.Output.Count();

        await using var web = await WebSocketClient.ConnectAsync(Gateway, path: FilePath);
        var (status, logged) = await SendBadAsync(web, input);

        Assert.True(await web.WaitClosedAsync(Reply), $"{input}: the file WebSocket was not closed");
        Assert.Equal(status, web.CloseStatus);
        Assert.False(string.IsNullOrEmpty(web.CloseDescription));
        await Eventually.SucceedsAsync(
            Reply,
            () => Task.FromResult(Gateway.Process.Output.Skip(logBefore).Any(l => l.Contains("File connection", StringComparison.Ordinal) && l.Contains(logged, StringComparison.Ordinal))),
            $"the gateway logs \"{logged}\" for the file connection");

        // The other file socket and the TCP file port still answer: their heartbeats come back.
        Assert.True(await HeartbeatEchoedAsync(bystander), "the other file WebSocket still answers");
        var seq = await tcp.SendAsync(CommandKeys.Heartbeat, new IMHeartBeat());
        Assert.Equal(seq, (await tcp.ReceiveAsync(CommandKeys.Heartbeat, Reply))?.Header.SeqNum);
        Assert.False(Gateway.Process.HasExited);
        Assert.Empty(fixture.Cluster.ErrorLines());
    }

    /// <summary>A native client requests an offline transfer, uploads it over the TCP file port and announces it; the task id.</summary>
    private async Task<string> UploadOfflineAsync(TeamTalkClient sender, uint from, uint to, string name, byte[] data)
    {
        var offer = await FileTransferTests.RequestAsync(sender, to, name, (uint)data.Length, TransferFileType.FileTypeOffline);
        var (login, uploader) = await FileTransferClient.LoginAsync("127.0.0.1", Gateway.FileTcpPort, from, offer.TaskId, ClientFileRole.ClientOfflineUpload, Reply);
        await using (uploader)
        {
            Assert.Equal(0u, login?.ResultCode);
            Assert.Equal(ClientFileState.ClientFileDone, (await uploader.UploadAsync(data, Reply))?.State);
        }

        await sender.SendAsync(CommandKeys.FileAddOfflineRequest, new IMFileAddOfflineReq
        {
            FromUserId = from,
            ToUserId = to,
            TaskId = offer.TaskId,
            FileName = name,
            FileSize = (uint)data.Length,
        });
        return offer.TaskId;
    }

    private async Task DownloadOverTcpAsync(uint userId, string taskId, byte[] data)
    {
        var (login, downloader) = await FileTransferClient.LoginAsync("127.0.0.1", Gateway.FileTcpPort, userId, taskId, ClientFileRole.ClientOfflineDownload, Reply);
        await using (downloader)
        {
            Assert.Equal(0u, login?.ResultCode);
            var (bytes, done) = await downloader.DownloadAsync((uint)data.Length, Reply);
            Assert.Equal(ClientFileState.ClientFileDone, done?.State);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(bytes));
        }
    }

    private static async Task<IMFileLoginRsp?> LoginAsync(WebSocketClient web, uint userId, string taskId)
    {
        var seq = await web.SendAsync(CommandKeys.FileLoginRequest, new IMFileLoginReq { UserId = userId, TaskId = taskId, FileRole = ClientFileRole.ClientOfflineDownload });
        var reply = await web.ReceiveAsync(CommandKeys.FileLoginResponse, Reply);
        Assert.Equal(seq, reply?.Header.SeqNum);
        return reply?.Parse<IMFileLoginRsp>();
    }

    private static async Task<bool> HeartbeatEchoedAsync(WebSocketClient web)
    {
        var seq = await web.SendAsync(CommandKeys.Heartbeat, new IMHeartBeat());
        return (await web.ReceiveAsync(CommandKeys.Heartbeat, Reply))?.Header.SeqNum == seq;
    }

    /// <summary>Sends one kind of bad input; returns the close status expected and a piece of the gateway's log line.</summary>
    private static async Task<(WebSocketCloseStatus Status, string Logged)> SendBadAsync(WebSocketClient web, string input)
    {
        if (await WebSocketBadInput.TrySendAsync(web, input, WebSocketFixture.MaxPacketBytes) is { } refused)
        {
            return refused;
        }

        switch (input)
        {
            case "garbage protobuf":
            {
                var garbage = new byte[PacketHeader.Size + 24];
                PacketHeader.ForServer(CommandKeys.FileLoginRequest.ServiceId, CommandKeys.FileLoginRequest.CommandId, 3, 24).Write(garbage);
                garbage.AsSpan(PacketHeader.Size).Fill(0xff);
                await web.SendMessageAsync(garbage, WebSocketMessageType.Binary, endOfMessage: true);
                return (WebSocketCloseStatus.PolicyViolation, "unparsable IMFileLoginReq");
            }

            case "pull before login":
                await web.SendAsync(CommandKeys.FilePullDataRequest, new IMFilePullDataReq
                {
                    TaskId = Guid.NewGuid().ToString(),
                    UserId = 1,
                    TransMode = TransferFileType.FileTypeOffline,
                    Offset = 0,
                    DataSize = 10,
                });
                return (WebSocketCloseStatus.PolicyViolation, "before the file login");
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "no such bad input");
        }
    }
}
