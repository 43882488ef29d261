using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.WebSockets;

/// <summary>
/// A WebSocket adapted to the <see cref="ConnectionContext"/> a <see cref="ClientConnection"/> or a file connection runs
/// on, so a browser's connection uses the same read, dispatch, limits and writer loop as a TCP one. The rule on the wire: every WebSocket
/// message is binary and holds exactly one TeamTalk frame (16-byte header whose length equals the message's), at most
/// <see cref="GatewayOptions.MaxPacketBytes"/>. The receive pump checks each message and hands the connection whole
/// frames only; a text message, an oversized frame, a frame split over messages or several frames in one message is
/// logged (rate-limited, as TCP's rejections), and the connection is closed with a close status saying why
/// (1003, 1009, 1002). The send pump cuts what the connection's writer loop wrote into frames and sends one message
/// each. A graceful close ends with status 1000; an abort by the connection (a command before login, a client not
/// reading) drops what is queued and closes with 1008 and the reason. The close handshake and a blocked send are bounded
/// by <see cref="WebSocketEndpointOptions.CloseTimeout"/>, after which the socket is dropped.
/// </summary>
internal sealed class WebSocketTransport : ConnectionContext
{
    private const int MaxCloseDescriptionBytes = 120;

    /// <summary>The buffer a frame's body starts in; it doubles as more of the body arrives, up to the frame's length.</summary>
    private const int FirstFrameBuffer = 4096;

    private readonly WebSocket socket;
    private readonly Pipe inbound = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe outbound = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource closed = new();
    private readonly CancellationTokenSource closing;
    private readonly int maxFrameBytes;
    private readonly TimeSpan closeTimeout;
    private readonly Lock closeGate = new();
    private WebSocketCloseStatus? closeStatus;
    private string closeDescription = string.Empty;
    private int aborted;
    private bool finished;

    public WebSocketTransport(WebSocket socket, HttpContext http, int maxFrameBytes, TimeSpan closeTimeout, TimeProvider time)
    {
        this.socket = socket;
        this.maxFrameBytes = maxFrameBytes;
        this.closeTimeout = closeTimeout;
        closing = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        ConnectionId = http.Connection.Id;
        Transport = new DuplexPipe(inbound.Reader, outbound.Writer);
        ConnectionClosed = closed.Token;
        if (http.Connection.RemoteIpAddress is { } remote)
        {
            RemoteEndPoint = new IPEndPoint(remote, http.Connection.RemotePort);
        }

        if (http.Connection.LocalIpAddress is { } local)
        {
            LocalEndPoint = new IPEndPoint(local, http.Connection.LocalPort);
        }
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    /// <summary>The connection aborts: what is queued is dropped and the socket closes with 1008 and the reason.</summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        ArgumentNullException.ThrowIfNull(abortReason);
        lock (closeGate)
        {
            if (finished)
            {
                return;
            }

            SetCloseStatus(WebSocketCloseStatus.PolicyViolation, abortReason.Message);
            Volatile.Write(ref aborted, 1);
            closing.CancelAfter(closeTimeout);
        }

        outbound.Reader.CancelPendingRead();
    }

    /// <summary>
    /// Runs a connection over this socket until both are closed: <paramref name="run"/> is the connection's own run
    /// (a <see cref="ClientConnection"/> or a file connection, reading and writing this context's pipes), and
    /// <paramref name="rejected"/> logs and counts, as that connection does for its own rejections, why a message was refused.
    /// </summary>
    public async Task RunAsync(Func<Task> run, Action<string> rejected)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rejected);
        var receiving = ReceiveAsync(rejected);
        var sending = SendAsync();
        try
        {
            await run();
        }
        finally
        {
            // The connection is done: its output is complete (the send pump ends with the close frame) and nobody
            // reads the input any more. The handshake's end is bounded.
            closing.CancelAfter(closeTimeout);
            await inbound.Reader.CompleteAsync();
            await sending;
            await receiving;
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }

            lock (closeGate)
            {
                finished = true;
            }

            await closed.CancelAsync();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        lock (closeGate)
        {
            finished = true;
        }

        socket.Dispose();
        closing.Dispose();
        closed.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>
    /// The connection closes (after what it queued) for bad input: the close frame says 1008 and the reason, unless
    /// another status was asked for first.
    /// </summary>
    public void ClosingForPolicy(string reason) => RequestClose(WebSocketCloseStatus.PolicyViolation, reason);

    /// <summary>The first close status asked for wins; 1000 when none was.</summary>
    private void RequestClose(WebSocketCloseStatus status, string description)
    {
        lock (closeGate)
        {
            SetCloseStatus(status, description);
        }
    }

    private void SetCloseStatus(WebSocketCloseStatus status, string description)
    {
        if (closeStatus is null)
        {
            closeStatus = status;
            closeDescription = description.Length > MaxCloseDescriptionBytes ? description[..MaxCloseDescriptionBytes] : description;
        }
    }

    /// <summary>The receive pump: whole, checked frames into the connection's input; the first bad message ends it.</summary>
    private async Task ReceiveAsync(Action<string> rejected)
    {
        var writer = inbound.Writer;
        var header = new byte[PacketHeader.Size];
        string? rejection = null;
        try
        {
            while (rejection is null)
            {
                var result = await socket.ReceiveAsync(header.AsMemory(), closing.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    rejection = Reject(WebSocketCloseStatus.InvalidMessageType, "text message: only binary messages of one TeamTalk frame each are accepted");
                    break;
                }

                var filled = result.Count;
                while (!result.EndOfMessage && filled < PacketHeader.Size)
                {
                    result = await socket.ReceiveAsync(header.AsMemory(filled), closing.Token);
                    filled += result.Count;
                }

                if (filled < PacketHeader.Size)
                {
                    rejection = Reject(WebSocketCloseStatus.ProtocolError, $"message of {filled} bytes is shorter than the 16-byte frame header");
                    break;
                }

                var length = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (length < PacketHeader.Size)
                {
                    rejection = Reject(WebSocketCloseStatus.ProtocolError, $"frame length {length} is below the 16-byte header");
                    break;
                }

                if (length > (uint)maxFrameBytes)
                {
                    rejection = Reject(WebSocketCloseStatus.MessageTooBig, $"frame length {length} exceeds the {maxFrameBytes}-byte limit");
                    break;
                }

                rejection = await ReceiveFrameAsync(header, (int)length, result.EndOfMessage, writer);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away, or the close handshake ran out of time: the connection ends like a TCP one.
            return;
        }
        finally
        {
            if (rejection is not null)
            {
                rejected(rejection);
            }

            await writer.CompleteAsync();
        }

        await DiscardUntilCloseAsync();
    }

    /// <summary>
    /// The rest of a frame whose header was read; a rejection when the message does not hold exactly it. The buffer grows
    /// with what arrives (doubling from <see cref="FirstFrameBuffer"/>), not with the length the header announces: a
    /// header alone must not hold a frame's worth of memory while its client sends nothing more.
    /// </summary>
    private async Task<string?> ReceiveFrameAsync(byte[] header, int length, bool endOfMessage, PipeWriter writer)
    {
        var frame = ArrayPool<byte>.Shared.Rent(Math.Min(length, FirstFrameBuffer));
        try
        {
            header.CopyTo(frame, 0);
            var filled = PacketHeader.Size;
            while (filled < length && !endOfMessage)
            {
                if (filled == frame.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(length, frame.Length * 2));
                    frame.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(frame);
                    frame = larger;
                }

                var result = await socket.ReceiveAsync(frame.AsMemory(filled, Math.Min(length, frame.Length) - filled), closing.Token);
                filled += result.Count;
                endOfMessage = result.EndOfMessage;
            }

            if (filled < length)
            {
                return Reject(WebSocketCloseStatus.ProtocolError, $"message of {filled} bytes holds part of a {length}-byte frame: one whole frame per message");
            }

            if (!endOfMessage)
            {
                return Reject(WebSocketCloseStatus.ProtocolError, $"message is longer than its {length}-byte frame: one frame per message");
            }

            await writer.WriteAsync(frame.AsMemory(0, length), closing.Token);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private string Reject(WebSocketCloseStatus status, string reason)
    {
        RequestClose(status, reason);
        return reason;
    }

    /// <summary>After a rejection: whatever else comes is dropped until the client's close (bounded by the close timeout).</summary>
    private async Task DiscardUntilCloseAsync()
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(scratch.AsMemory(), closing.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Gone or out of time: nothing more to read.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The send pump: the writer loop's frames out, one message each, then the close frame.</summary>
    private async Task SendAsync()
    {
        var reader = outbound.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    while (!IsAborted && TryTakeFrame(ref buffer, out var frame))
                    {
                        await SendFrameAsync(frame);
                    }
                }
                finally
                {
                    reader.AdvanceTo(IsAborted ? buffer.End : buffer.Start, buffer.End);
                }

                if (IsAborted || result.IsCompleted)
                {
                    break;
                }
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                WebSocketCloseStatus status;
                string description;
                lock (closeGate)
                {
                    status = closeStatus ?? WebSocketCloseStatus.NormalClosure;
                    description = closeDescription;
                }

                await socket.CloseOutputAsync(status, description, closing.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away or stopped reading past the close timeout: the connection's writer sees the output end.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async ValueTask SendFrameAsync(ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            await socket.SendAsync(frame.First, WebSocketMessageType.Binary, endOfMessage: true, closing.Token);
            return;
        }

        // A frame across pipe segments: copied, so that it still goes as one WebSocket frame.
        var length = (int)frame.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            frame.CopyTo(copy);
            await socket.SendAsync(copy.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, closing.Token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>The next whole frame of what the writer loop wrote (its frames are always whole and well-formed).</summary>
    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < PacketHeader.Size)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if ((ulong)buffer.Length < length)
        {
            return false;
        }

        frame = buffer.Slice(0, length);
        buffer = buffer.Slice(length);
        return true;
    }

    private bool IsAborted => Volatile.Read(ref aborted) == 1;

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
