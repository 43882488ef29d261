using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>
/// A lean TeamTalk client connection for many thousands of instances: one receive loop reading into one reusable buffer
/// (frames are cut by <see cref="FrameReader"/> and handed to the sink as spans, nothing is copied; the buffer doubles
/// while a frame does not fit), synchronous sends of small frames from any thread
/// under a per-connection lock into a reusable send buffer. No per-frame allocation on either path.
/// </summary>
internal sealed class LeanConnection : IDisposable
{
    private const int MaxFrameBytes = 16 * 1024 * 1024;
    private static readonly CommandKey LoginResponse = CommandKeys.LoginResponse;

    private readonly Socket socket;
    private readonly Lock sendLock = new();
    private readonly byte[] sendBuffer = new byte[512];
    private readonly CancellationTokenSource closing = new();
    private byte[] receiveBuffer = new byte[1024];
    private TaskCompletionSource<(IMLoginRes? Response, long Timestamp)>? login;
    private IFrameSink? sink;
    private Task receiveLoop = Task.CompletedTask;
    private int closed;

    private LeanConnection(Socket socket, int index)
    {
        this.socket = socket;
        Index = index;
    }

    /// <summary>The load generator's number for this connection (its user index).</summary>
    public int Index { get; }

    /// <summary>The user id the server returned at login (0 before).</summary>
    public uint UserId { get; private set; }

    public bool IsClosed => Volatile.Read(ref closed) != 0;

    /// <summary>Frames that could not be sent because the connection was closed or broke.</summary>
    public long SendFailures { get; private set; }

    public Task Completion => receiveLoop;

    public static async Task<LeanConnection> ConnectAsync(IPEndPoint server, IPAddress? localAddress, int index, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendTimeout = 5000,
        };
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(server, ct);
            return new LeanConnection(socket, index);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts the receive loop; frames go to <paramref name="frameSink"/>.</summary>
    public void Start(IFrameSink frameSink)
    {
        sink = frameSink;
        receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>
    /// Sends <c>IMLoginReq</c> and waits for the reply. Returns the reply (null when none came in time) and the
    /// Stopwatch timestamp at which it arrived.
    /// </summary>
    public async Task<(IMLoginRes? Response, long Timestamp)> LoginAsync(string userName, string passwordMd5, ClientType clientType, TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource<(IMLoginRes?, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref login, tcs);
        SendMessage(CommandKeys.LoginRequest, 1, new IMLoginReq
        {
            UserName = userName,
            Password = passwordMd5,
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = clientType,
            ClientVersion = "TeamTalk.Orleans LoadGen",
        });
        (IMLoginRes? Response, long Timestamp) result;
        try
        {
            result = await tcs.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return (null, System.Diagnostics.Stopwatch.GetTimestamp());
        }

        if (result.Response is { ResultCode: ResultType.RefuseReasonNone, UserInfo: { } info })
        {
            UserId = info.UserId;
        }

        return result;
    }

    /// <summary>Sends a frame whose body is already encoded. False when the connection is closed or the send failed.</summary>
    public bool SendFrame(CommandKey command, ushort seq, ReadOnlySpan<byte> body)
    {
        lock (sendLock)
        {
            var total = PacketHeader.Size + body.Length;
            var buffer = total <= sendBuffer.Length ? sendBuffer : ArrayPool<byte>.Shared.Rent(total);
            try
            {
                PacketHeader.ForServer(command.ServiceId, command.CommandId, seq, body.Length).Write(buffer);
                body.CopyTo(buffer.AsSpan(PacketHeader.Size));
                return SendLocked(buffer.AsSpan(0, total));
            }
            finally
            {
                if (!ReferenceEquals(buffer, sendBuffer))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>Sends a protobuf message (allocates: for rare requests only).</summary>
    public bool SendMessage(CommandKey command, ushort seq, IMessage body)
    {
        var writer = new ArrayBufferWriter<byte>(64 + body.CalculateSize());
        FrameWriter.Write(writer, command.ServiceId, command.CommandId, seq, body);
        lock (sendLock)
        {
            return SendLocked(writer.WrittenSpan);
        }
    }

    /// <summary>Sends a heartbeat (empty body).</summary>
    public bool SendHeartbeat(ushort seq) => SendFrame(CommandKeys.Heartbeat, seq, []);

    /// <summary>Closes the socket (the receive loop ends and the sink's OnClosed is not called for a close we asked for).</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        closing.Cancel();
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }

        socket.Close();
    }

    public void Dispose()
    {
        Close();
        closing.Dispose();
    }

    private bool SendLocked(ReadOnlySpan<byte> frame)
    {
        if (IsClosed)
        {
            SendFailures++;
            return false;
        }

        try
        {
            while (!frame.IsEmpty)
            {
                var n = socket.Send(frame, SocketFlags.None);
                frame = frame[n..];
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            SendFailures++;
            return false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var filled = 0;
        var reason = "closed by the server";
        try
        {
            while (true)
            {
                if (filled == receiveBuffer.Length)
                {
                    Array.Resize(ref receiveBuffer, receiveBuffer.Length * 2);
                }

                var n = await socket.ReceiveAsync(receiveBuffer.AsMemory(filled), SocketFlags.None, closing.Token);
                if (n == 0)
                {
                    break;
                }

                filled += n;
                var unread = new ReadOnlySequence<byte>(receiveBuffer, 0, filled);
                while (true)
                {
                    var status = FrameReader.TryRead(ref unread, MaxFrameBytes, out var header, out var body);
                    if (status == FrameStatus.Incomplete)
                    {
                        break;
                    }

                    if (status != FrameStatus.Frame)
                    {
                        reason = $"bad frame length {header.Length}";
                        return;
                    }

                    Dispatch(header, body.FirstSpan);
                }

                var offset = filled - (int)unread.Length;
                if (offset > 0)
                {
                    Buffer.BlockCopy(receiveBuffer, offset, receiveBuffer, 0, filled - offset);
                    filled -= offset;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = ex is SocketException se ? se.SocketErrorCode.ToString() : "closed";
        }
        finally
        {
            var wasOpen = Interlocked.Exchange(ref closed, 1) == 0;
            Volatile.Read(ref login)?.TrySetResult((null, System.Diagnostics.Stopwatch.GetTimestamp()));
            if (wasOpen)
            {
                socket.Close();
                sink?.OnClosed(this, reason);
            }
        }
    }

    private void Dispatch(in PacketHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Command == LoginResponse)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            IMLoginRes? response;
            try
            {
                response = IMLoginRes.Parser.ParseFrom(body);
            }
            catch (InvalidProtocolBufferException)
            {
                response = null;
            }

            Volatile.Read(ref login)?.TrySetResult((response, now));
            return;
        }

        sink?.OnFrame(this, header, body);
    }
}
