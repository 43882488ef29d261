using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// A TeamTalk client over the gateway's <c>/ws</c> (System.Net.WebSockets.ClientWebSocket), as a browser speaks it:
/// one binary message per frame. A receive loop collects frames and, when the server closes, its close status.
/// </summary>
internal sealed class WebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket;
    private readonly Channel<ReceivedFrame> received = Channel.CreateUnbounded<ReceivedFrame>();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly Task receiveLoop;
    private int nextSeq;

    private WebSocketClient(ClientWebSocket socket)
    {
        this.socket = socket;
        receiveLoop = ReceiveLoopAsync();
    }

    /// <summary>The status the server closed with (null until it did, or when the connection just dropped).</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public static Uri Endpoint(GatewayHandle gateway, string path = "/ws") => new($"ws://127.0.0.1:{gateway.HttpPort}{path}");

    /// <summary>Connects to <paramref name="path"/> (<c>/ws</c>, or <c>/ws/file</c> for the file protocol), sending <paramref name="origin"/> when given.</summary>
    public static async Task<WebSocketClient> ConnectAsync(GatewayHandle gateway, string? origin = null, string path = "/ws")
    {
        var socket = new ClientWebSocket();
        socket.Options.DangerousDeflateOptions = null;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            using var timeout = new CancellationTokenSource(Clients.Reply);
            await socket.ConnectAsync(Endpoint(gateway, path), timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new WebSocketClient(socket);
    }

    /// <summary>Connects and logs in (as Windows unless told otherwise); asserts success and returns the client with its user id.</summary>
    public static async Task<(WebSocketClient Client, uint UserId)> LoginAsync(GatewayHandle gateway, string user, ClientType type = ClientType.Windows)
    {
        var client = await ConnectAsync(gateway);
        var response = await client.LoginAsync(user, type);
        Assert.NotNull(response);
        Assert.Equal(ResultType.RefuseReasonNone, response.ResultCode);
        return (client, response.UserInfo.UserId);
    }

    public async Task<IMLoginRes?> LoginAsync(string user, ClientType type)
    {
        await SendAsync(CommandKeys.LoginRequest, new IMLoginReq
        {
            UserName = user,
            Password = TeamTalkClient.PasswordHash(TestDatabase.Password),
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = type,
            ClientVersion = "TeamTalk.Orleans e2e WebSocket client",
        });
        return (await ReceiveAsync(CommandKeys.LoginResponse, Clients.Reply))?.Parse<IMLoginRes>();
    }

    /// <summary>Sends one frame as one binary message; returns its seq.</summary>
    public async Task<ushort> SendAsync(CommandKey command, IMessage body)
    {
        var seq = (ushort)Interlocked.Increment(ref nextSeq);
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, command.ServiceId, command.CommandId, seq, body);
        await SendMessageAsync(writer.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true);
        return seq;
    }

    /// <summary>Sends bytes as they are, as (part of) one message of the given type.</summary>
    public async Task SendMessageAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage)
    {
        await sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, type, endOfMessage, CancellationToken.None);
        }
        finally
        {
            sendLock.Release();
        }
    }

    public async Task<ReceivedFrame?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await received.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>The next frame of <paramref name="command"/> (others skipped), or null on close or timeout.</summary>
    public async Task<ReceivedFrame?> ReceiveAsync(CommandKey command, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (deadline > DateTime.UtcNow)
        {
            var frame = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (frame is null || frame.Command == command)
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>Waits for the server to close; true when it did within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitClosedAsync(TimeSpan timeout) => await Task.WhenAny(receiveLoop, Task.Delay(timeout)) == receiveLoop;

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(Clients.Reply);
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                socket.Abort();
            }
        }

        socket.Abort();
        await receiveLoop;
        socket.Dispose();
        sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(64 * 1024), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = socket.CloseStatus;
                    CloseDescription = socket.CloseStatusDescription;
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
                    }

                    return;
                }

                buffer.Advance(result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var message = buffer.WrittenSpan;
                Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
                var header = PacketHeader.Read(message);
                Assert.Equal((int)header.Length, message.Length);
                received.Writer.TryWrite(new ReceivedFrame(header, message[PacketHeader.Size..].ToArray()));
                buffer.ResetWrittenCount();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped without a close frame (or disposed by the test): CloseStatus stays null.
        }
        finally
        {
            received.Writer.TryComplete();
        }
    }
}
