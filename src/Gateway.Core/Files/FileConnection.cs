using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>
/// One file-transfer connection (behaviour.md 5), over the file TCP port (<see cref="FileConnectionHandler"/>) or a
/// WebSocket (<see cref="FileWebSocketEndpoint"/>: a <see cref="WebSockets.WebSocketTransport"/> hands it whole frames on the
/// same pipes), so both run this code, its session's checks and the sweeper's deadlines: the same framing and limits as a message connection (frames cut
/// off the pipe by <see cref="FrameReader"/>, at most <see cref="GatewayOptions.MaxPacketBytes"/>, one bounded outbound
/// queue drained by one writer loop). Frames are handled one at a time by its <see cref="FileSession"/>, which awaits
/// the blob store or the relay before the next is read: a slow disk or a slow other side slows this client's reads
/// instead of filling memory. Closing has one path; at the end the session releases what it holds and tells the task.
/// </summary>
internal sealed class FileConnection
{
    private readonly ConnectionContext context;
    private readonly FileServices services;
    private readonly Channel<OutboundFrame> outbound;
    private int closing;
    private long lastReceivedAt;

    public FileConnection(ConnectionContext context, FileServices services)
    {
        this.context = context;
        this.services = services;
        Id = services.Registry.NextId();
        Remote = context.RemoteEndPoint as IPEndPoint;
        AcceptedAt = services.Time.GetTimestamp();
        lastReceivedAt = AcceptedAt;
        outbound = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(services.Settings.OutboundQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Rejects = new RejectLog(TimeSpan.FromSeconds(1), services.Time);
        Session = new FileSession(this, services);
    }

    public long Id { get; }

    public IPEndPoint? Remote { get; }

    public long AcceptedAt { get; }

    public long LastReceivedAt => Volatile.Read(ref lastReceivedAt);

    public RejectLog Rejects { get; }

    public FileSession Session { get; }

    public bool IsClosing => Volatile.Read(ref closing) != 0;

    /// <summary>Told why, when bad input closes the connection (a WebSocket puts it in its close frame); none over TCP.</summary>
    public Action<string>? Rejecting { get; init; }

    public async Task RunAsync()
    {
        services.Registry.Add(this);
        var writer = WriteAsync();
        try
        {
            await ReadAsync();
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException)
        {
            // The peer went away or the connection was aborted on purpose: nothing to report.
        }
        catch (Exception ex)
        {
            services.Log.Failed(ex, Id);
            Abort("unexpected failure");
        }
        finally
        {
            CloseAfterFlush();
            await writer;
            services.Registry.Remove(this);
            await Session.EndAsync();
        }
    }

    /// <summary>Queues a frame; a full queue (the client stopped reading) aborts the connection.</summary>
    public bool TrySend(in OutboundFrame frame)
    {
        if (outbound.Writer.TryWrite(frame))
        {
            return true;
        }

        if (!IsClosing)
        {
            services.Log.QueueFull(Id);
            Abort("outbound queue full");
        }

        return false;
    }

    /// <summary>Sends what is queued, then closes.</summary>
    public void CloseAfterFlush()
    {
        if (Interlocked.CompareExchange(ref closing, 1, 0) == 0)
        {
            outbound.Writer.TryComplete();
            context.Transport.Input.CancelPendingRead();
        }
    }

    /// <summary>Closes at once, dropping what is queued.</summary>
    public void Abort(string reason)
    {
        var was = Interlocked.Exchange(ref closing, 2);
        if (was == 2)
        {
            return;
        }

        outbound.Writer.TryComplete();
        context.Abort(new ConnectionAbortedException(reason));
        context.Transport.Input.CancelPendingRead();
    }

    /// <summary>Logs (rate-limited) why the connection is closed, and closes it after what is queued.</summary>
    public void Reject(string reason)
    {
        if (Rejects.TryLog(out var suppressed))
        {
            services.Log.Closing(Id, Remote?.ToString() ?? "?", Session.UserId, reason, suppressed);
        }

        Rejecting?.Invoke(reason);
        CloseAfterFlush();
    }

    private async Task ReadAsync()
    {
        var input = context.Transport.Input;
        var maxPacketBytes = services.Settings.MaxPacketBytes;
        while (true)
        {
            var result = await input.ReadAsync();
            if (result.IsCanceled)
            {
                return;
            }

            var buffer = result.Buffer;
            try
            {
                Volatile.Write(ref lastReceivedAt, services.Time.GetTimestamp());
                while (!IsClosing)
                {
                    var status = FrameReader.TryRead(ref buffer, maxPacketBytes, out var header, out var body);
                    if (status == FrameStatus.Incomplete)
                    {
                        break;
                    }

                    if (status != FrameStatus.Frame)
                    {
                        Reject(status == FrameStatus.TooShort ? "frame shorter than its header" : "frame over the size limit");
                        return;
                    }

                    // The body is a slice of the pipe's buffer: the session parses or copies it before it first yields.
                    await Session.HandleAsync(header, body);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (IsClosing || result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>The writer loop (<see cref="OutboundWriter"/>); when it ends, the connection closes.</summary>
    private async Task WriteAsync()
    {
        var output = context.Transport.Output;
        try
        {
            await OutboundWriter.RunAsync(
                outbound.Reader,
                output,
                () => Volatile.Read(ref closing) == 2,
                frame => services.Log.IncompleteMessage(frame.Command.ToString(), Id),
                ex => services.Log.WriteFailed(Id, ex.Message));
        }
        finally
        {
            CloseAfterFlush();
            await output.CompleteAsync();
        }
    }
}
