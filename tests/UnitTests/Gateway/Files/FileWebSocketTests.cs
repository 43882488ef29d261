using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Files;
using TeamTalk.Orleans.Gateway.WebSockets;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.File;
using TeamTalk.Orleans.Protocol.Messages.Other;

namespace TeamTalk.Orleans.UnitTests.Gateway.Files;

/// <summary>
/// A <see cref="FileConnection"/> over a <see cref="WebSocketTransport"/> (an in-memory WebSocket pair), as
/// <c>/ws/file</c> runs it: the TCP file connection's code, registry and sweeper, with the reason in the close frame.
/// </summary>
public sealed class FileWebSocketTests : IDisposable
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly GatewayOptions settings = new() { OutboundQueueCapacity = 16, LoginTimeout = TimeSpan.FromSeconds(15) };
    private readonly FileConnectionRegistry registry = new();
    private readonly string blobDirectory = Path.Combine(Path.GetTempPath(), $"tt-file-ws-{Guid.NewGuid():N}");
    private readonly FileServices services;
    private readonly FileLog log = new(NullLogger<FileLog>.Instance);

    public FileWebSocketTests()
    {
        // No input in these tests gets past the login's parsing, so the cluster (IGrainFactory) is never asked.
        var identity = new GatewayIdentity(settings);
        var relay = new FileRelay(registry, new FileRelayObserver(registry), null!, identity);
        services = new FileServices(registry, relay, new FileSystemBlobStore(blobDirectory), null!, identity, Options.Create(settings), log, time);
    }

    public void Dispose()
    {
        if (Directory.Exists(blobDirectory))
        {
            Directory.Delete(blobDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_heartbeat_is_echoed_and_a_pull_before_the_file_login_closes_with_1008_and_the_reason()
    {
        await using var pair = Start();
        await pair.Client.SendAsync(Frame(CommandKeys.Heartbeat, 7, new IMHeartBeat()), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        var echo = await pair.ReceiveAsync();
        Assert.Equal((CommandKeys.Heartbeat, (ushort)7), (echo.Command, echo.SeqNum));
        Assert.Equal(1, registry.Count);

        await pair.Client.SendAsync(Frame(CommandKeys.FilePullDataRequest, 8, new IMFilePullDataReq
        {
            TaskId = Guid.NewGuid().ToString(),
            UserId = 5,
            TransMode = TransferFileType.FileTypeOffline,
            Offset = 0,
            DataSize = 10,
        }), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var (status, description) = await pair.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("before the file login", description, StringComparison.Ordinal);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public async Task A_heartbeat_with_a_large_body_is_not_echoed_and_closes_with_1008_and_the_reason()
    {
        await using var pair = Start();
        var frame = new byte[PacketHeader.Size + 65];
        new PacketHeader((uint)frame.Length, 1, 0, CommandKeys.Heartbeat.ServiceId, CommandKeys.Heartbeat.CommandId, 9, 0).Write(frame);
        await pair.Client.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var (status, description) = await pair.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("heartbeat with a body of 65 bytes", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_larger_than_the_first_buffer_arrives_whole_from_several_fragments()
    {
        // 10,016 bytes in three fragments: the receive buffer grows twice. The file connection sees the whole frame (a
        // pull before the file login, refused as such), not a part of it.
        await using var pair = Start();
        var frame = new byte[PacketHeader.Size + 10_000];
        new PacketHeader((uint)frame.Length, 1, 0, CommandKeys.FilePullDataRequest.ServiceId, CommandKeys.FilePullDataRequest.CommandId, 3, 0).Write(frame);
        await pair.Client.SendAsync(frame.AsMemory(0, 3_000), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await pair.Client.SendAsync(frame.AsMemory(3_000, 5_000), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await pair.Client.SendAsync(frame.AsMemory(8_000), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var (status, description) = await pair.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("before the file login", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_message_closes_with_1003_before_the_connection_sees_it()
    {
        await using var pair = Start();
        await pair.Client.SendAsync("{}"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        var (status, description) = await pair.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.Contains("text message", description, StringComparison.Ordinal);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public async Task The_sweeper_closes_a_file_WebSocket_not_logged_in_by_the_login_deadline()
    {
        await using var pair = Start();
        await pair.Client.SendAsync(Frame(CommandKeys.Heartbeat, 1, new IMHeartBeat()), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        await pair.ReceiveAsync();
        var sweeper = new FileConnectionSweeper(registry, Options.Create(settings), log, time);

        // Just before the deadline nothing happens: the next heartbeat is still echoed (the marker).
        time.Advance(settings.LoginTimeout);
        sweeper.Sweep();
        await pair.Client.SendAsync(Frame(CommandKeys.Heartbeat, 2, new IMHeartBeat()), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal((ushort)2, (await pair.ReceiveAsync()).SeqNum);

        time.Advance(TimeSpan.FromMilliseconds(1));
        sweeper.Sweep();
        var (status, description) = await pair.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("login deadline", description);
    }

    private SocketPair Start()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = WebSocket.CreateFromStream(new DuplexStream(toServer.Reader, toClient.Writer), new WebSocketCreationOptions { IsServer = true });
        var client = WebSocket.CreateFromStream(new DuplexStream(toClient.Reader, toServer.Writer), new WebSocketCreationOptions { IsServer = false });
        var transport = new WebSocketTransport(server, new DefaultHttpContext(), 65_536, TimeSpan.FromSeconds(5), TimeProvider.System);
        var connection = new FileConnection(transport, services) { Rejecting = transport.ClosingForPolicy };
        return new SocketPair(client, transport, transport.RunAsync(connection.RunAsync, connection.Reject));
    }

    private static byte[] Frame(CommandKey command, ushort seq, Google.Protobuf.IMessage body)
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, command.ServiceId, command.CommandId, seq, body);
        return writer.WrittenSpan.ToArray();
    }

    private sealed class SocketPair(WebSocket client, WebSocketTransport transport, Task running) : IAsyncDisposable
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

        public WebSocket Client => client;

        /// <summary>The next message: one whole frame's header.</summary>
        public async Task<PacketHeader> ReceiveAsync()
        {
            var buffer = new byte[70_000];
            using var timeout = new CancellationTokenSource(Limit);
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            Assert.True(result.EndOfMessage);
            var header = PacketHeader.Read(buffer.AsSpan(0, result.Count));
            Assert.Equal((int)header.Length, result.Count);
            return header;
        }

        /// <summary>Waits for the server's close frame (answering it) and the end of the connection; its status and reason.</summary>
        public async Task<(WebSocketCloseStatus? Status, string Description)> ClosedAsync()
        {
            var buffer = new byte[70_000];
            using var timeout = new CancellationTokenSource(Limit);
            WebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer, timeout.Token);
            }
            while (result.MessageType != WebSocketMessageType.Close);

            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
            await running.WaitAsync(timeout.Token);
            return (result.CloseStatus, result.CloseStatusDescription ?? string.Empty);
        }

        public async ValueTask DisposeAsync()
        {
            client.Abort();
            await running.WaitAsync(Limit);
            client.Dispose();
            await transport.DisposeAsync();
        }
    }

    /// <summary>One side of an in-memory connection: reads one pipe, writes the other.</summary>
    private sealed class DuplexStream(PipeReader input, PipeWriter output) : Stream
    {
        private readonly Stream reading = input.AsStream();
        private readonly Stream writing = output.AsStream();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => reading.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => reading.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => reading.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => writing.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => writing.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => writing.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => writing.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => writing.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                reading.Dispose();
                writing.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
