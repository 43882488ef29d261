using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Client;

/// <summary>
/// A TeamTalk client over TCP speaking the wire protocol as the original clients do: used by the end-to-end tests and
/// the admin tool's login check (the load generator has its own lean connection). Frames are cut by
/// <see cref="FrameReader"/> and queued; <see cref="ReceiveAsync(TimeSpan)"/> takes them in order.
/// </summary>
public sealed class TeamTalkClient : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly Channel<ReceivedFrame> received = Channel.CreateUnbounded<ReceivedFrame>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> sendBuffer = new(256);
    private readonly Task receiveLoop;
    private int nextSeq;
    private int disposed;

    private TeamTalkClient(Socket socket, int maxPacketBytes)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        receiveLoop = ReceiveLoopAsync(maxPacketBytes);
    }

    /// <summary>Completes when the server closed the connection (or it broke).</summary>
    public Task Closed => receiveLoop;

    /// <summary>Connects to a TeamTalk server, optionally from a given local address (spreading load over 127.0.0.x).</summary>
    public static async Task<TeamTalkClient> ConnectAsync(string host, int port, IPAddress? localAddress = null, int maxPacketBytes = 16 * 1024 * 1024, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(host, port, cancellationToken);
            return new TeamTalkClient(socket, maxPacketBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Lowercase hex MD5 of a plaintext password: what every TeamTalk client sends as <c>password</c>.</summary>
#pragma warning disable CA5351 // MD5 is the TeamTalk wire format for passwords, not our choice of security.
    public static string PasswordHash(string plain) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(plain)));
#pragma warning restore CA5351

    /// <summary>A fresh non-zero seq number (clients never use 0: pushes carry it).</summary>
    public ushort NextSeq()
    {
        while (true)
        {
            var seq = (ushort)Interlocked.Increment(ref nextSeq);
            if (seq != 0)
            {
                return seq;
            }
        }
    }

    /// <summary>Sends one message with the given command and seq; returns the seq.</summary>
    public async Task<ushort> SendAsync(CommandKey command, IMessage body, ushort? seq = null, CancellationToken cancellationToken = default)
    {
        var s = seq ?? NextSeq();
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            sendBuffer.ResetWrittenCount();
            FrameWriter.Write(sendBuffer, command.ServiceId, command.CommandId, s, body);
            await stream.WriteAsync(sendBuffer.WrittenMemory, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }

        return s;
    }

    /// <summary>Sends raw bytes as they are (for malformed-input tests).</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>The next received frame, or null when the connection closed or nothing came within <paramref name="timeout"/>.</summary>
    public async Task<ReceivedFrame?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>The next received frame with the given command (skipping others), or null on close/timeout.</summary>
    public async Task<ReceivedFrame?> ReceiveAsync(CommandKey command, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            var frame = await ReceiveAsync(left);
            if (frame is null || frame.Command == command)
            {
                return frame;
            }
        }
    }

    /// <summary>Logs in and returns the server's response (null if the server did not answer in time).</summary>
    public async Task<(IMLoginRes? Response, ushort Seq)> LoginAsync(string userName, string plainPassword, ClientType clientType, TimeSpan timeout)
    {
        var seq = await SendAsync(CommandKeys.LoginRequest, new IMLoginReq
        {
            UserName = userName,
            Password = PasswordHash(plainPassword),
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = clientType,
            ClientVersion = "TeamTalk.Orleans client",
        });
        var reply = await ReceiveAsync(CommandKeys.LoginResponse, timeout);
        return (reply?.Parse<IMLoginRes>(), reply?.Header.SeqNum ?? 0);
    }

    /// <summary>True when the server closes the connection within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitClosedAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(receiveLoop, Task.Delay(timeout));
        return finished == receiveLoop;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone: nothing to shut down.
        }

        await stream.DisposeAsync();
        await receiveLoop.ConfigureAwait(false);
        sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync(int maxPacketBytes)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (true)
                {
                    var status = FrameReader.TryRead(ref buffer, maxPacketBytes, out var header, out var body);
                    if (status == FrameStatus.Frame)
                    {
                        received.Writer.TryWrite(new ReceivedFrame(header, body.ToArray()));
                        continue;
                    }

                    if (status != FrameStatus.Incomplete)
                    {
                        return;
                    }

                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended; Closed completes and pending receives return null.
        }
        finally
        {
            received.Writer.TryComplete();
            await reader.CompleteAsync();
        }
    }
}
