using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// One client TCP connection: its login state and its outbound queue. Everything sent to the client goes through one
/// bounded channel drained by one writer loop, so no caller ever waits on the socket; a client whose queue fills up
/// (it stopped reading) is disconnected.
/// </summary>
internal sealed partial class ClientConnection
{
    private readonly ConnectionContext context;
    private readonly Channel<OutboundFrame> outbound;
    private readonly ILogger logger;
    private int state = (int)ConnectionState.Accepted;
    private long lastReceivedMs;

    public ClientConnection(long id, ConnectionContext context, int queueCapacity, ILogger logger)
    {
        Id = id;
        this.context = context;
        this.logger = logger;
        AcceptedAtMs = Environment.TickCount64;
        lastReceivedMs = AcceptedAtMs;
        Remote = context.RemoteEndPoint as IPEndPoint;
        outbound = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Rejects = new RejectLog(TimeSpan.FromSeconds(1));
    }

    /// <summary>Gateway-local id, unique for this process's lifetime.</summary>
    public long Id { get; }

    public IPEndPoint? Remote { get; }

    public long AcceptedAtMs { get; }

    public long LastReceivedMs => Volatile.Read(ref lastReceivedMs);

    public ConnectionState State => (ConnectionState)Volatile.Read(ref state);

    /// <summary>The user this connection logged in as; 0 before login.</summary>
    public uint UserId { get; private set; }

    /// <summary>The device type sent at login.</summary>
    public DeviceType Device { get; private set; }

    public RejectLog Rejects { get; }

    /// <summary>The <c>CID_MSG_DATA</c> rate limit of this connection.</summary>
    public RateWindow MessageRate { get; } = new();

    public CancellationToken Closed => context.ConnectionClosed;

    public void Touch() => Volatile.Write(ref lastReceivedMs, Environment.TickCount64);

    /// <summary>Moves Accepted → LoggingIn; false when a login was already submitted on this connection.</summary>
    public bool TryBeginLogin() => TryTransition(ConnectionState.Accepted, ConnectionState.LoggingIn);

    /// <summary>Back to Accepted after a login request that could not be parsed (the original ignores it).</summary>
    public void AbandonLogin() => TryTransition(ConnectionState.LoggingIn, ConnectionState.Accepted);

    /// <summary>Marks the connection logged in as <paramref name="userId"/>.</summary>
    public bool CompleteLogin(uint userId, DeviceType device)
    {
        UserId = userId;
        Device = device;
        return TryTransition(ConnectionState.LoggingIn, ConnectionState.LoggedIn);
    }

    /// <summary>Marks the connection kicked; true only for the call that did it.</summary>
    public bool TryKick() => TryTransition(ConnectionState.LoggedIn, ConnectionState.Kicked);

    /// <summary>
    /// Queues a frame. Returns false when the connection is closing; a full queue means the client stopped reading,
    /// and the connection is aborted.
    /// </summary>
    public bool TrySend(in OutboundFrame frame)
    {
        if (outbound.Writer.TryWrite(frame))
        {
            return true;
        }

        if (State != ConnectionState.Closing)
        {
            LogQueueFull(logger, Id, Remote);
            Abort("outbound queue full");
        }

        return false;
    }

    /// <summary>Sends what is queued, then closes (after a reply such as a failed login or a logout).</summary>
    public void CloseAfterFlush()
    {
        Volatile.Write(ref state, (int)ConnectionState.Closing);
        outbound.Writer.TryComplete();
        context.Transport.Input.CancelPendingRead();
    }

    /// <summary>Closes at once, dropping what is queued.</summary>
    public void Abort(string reason)
    {
        Volatile.Write(ref state, (int)ConnectionState.Closing);
        outbound.Writer.TryComplete();
        context.Abort(new ConnectionAbortedException(reason));
    }

    /// <summary>The writer loop: drains the queue into the socket, flushing once per burst.</summary>
    public async Task RunWriterAsync()
    {
        var output = context.Transport.Output;
        var reader = outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var frame))
                {
                    Write(output, frame);
                }

                var flushed = await output.FlushAsync();
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            LogWriteFailed(logger, Id, ex.Message);
        }
        finally
        {
            outbound.Writer.TryComplete();
            await output.CompleteAsync();
            context.Transport.Input.CancelPendingRead();
        }
    }

    private void Write(PipeWriter output, in OutboundFrame frame)
    {
        if (frame.Body is null)
        {
            FrameWriter.WriteRaw(output, frame.RawHeader, frame.RawBody ?? []);
            return;
        }

        if (!RequiredFields.IsComplete(frame.Body))
        {
            LogIncompleteMessage(logger, frame.Body.GetType().Name, frame.Command.ToString(), Id);
            return;
        }

        FrameWriter.Write(output, frame.Command.ServiceId, frame.Command.CommandId, frame.Seq, frame.Body);
    }

    private bool TryTransition(ConnectionState from, ConnectionState to) =>
        Interlocked.CompareExchange(ref state, (int)to, (int)from) == (int)from;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Remote}): outbound queue full, client not reading; disconnecting")]
    private static partial void LogQueueFull(ILogger logger, long connectionId, IPEndPoint? remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId}: write failed: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, long connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not sending {Message} ({Command}) to connection {ConnectionId}: a required field is missing")]
    private static partial void LogIncompleteMessage(ILogger logger, string message, string command, long connectionId);
}
