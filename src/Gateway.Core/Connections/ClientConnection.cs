using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// One client connection and the sole owner of its lifetime. Its transport is a <see cref="ConnectionContext"/>: a
/// Kestrel TCP connection, or a WebSocket adapted to one (<see cref="WebSockets.WebSocketTransport"/>, which delivers
/// whole frames), so both share this read, dispatch and write machinery. <see cref="RunAsync"/> reads frames off the receive
/// pipe without copying and handles them one at a time, in order (a frame that arrives during a login waits for it);
/// everything sent goes through one bounded channel drained by one writer loop, so no caller ever waits on the socket,
/// and a client whose queue fills up (it stopped reading) is aborted. Closing has one path (<see cref="CloseAfterFlush"/>
/// or <see cref="Abort"/>, idempotent, an abort may cut a graceful close short); when both loops are done the
/// connection leaves the registry and the user grain is told, once.
/// </summary>
internal sealed class ClientConnection : IClientConnection
{
    private readonly ConnectionContext context;
    private readonly ConnectionServices services;
    private readonly Channel<OutboundFrame> outbound;
    private readonly DeliveryGate gate;
    private readonly RateWindow messageRate;
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int closing = (int)CloseMode.Open;
    private int started;
    private long lastReceivedAt;
    private ConversationGrains? conversations;
    private MessagePipeline? messages;

    public ClientConnection(ConnectionContext context, ConnectionServices services, ClientTransport transport = ClientTransport.Tcp)
    {
        this.context = context;
        this.services = services;
        Transport = transport;
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
        gate = new DeliveryGate(this);
        messageRate = new RateWindow(services.Time);
        Rejects = new RejectLog(TimeSpan.FromSeconds(1), services.Time);
    }

    private enum CloseMode
    {
        Open,
        Graceful,
        Aborted,
    }

    public long Id { get; }

    public IPEndPoint? Remote { get; }

    public ClientTransport Transport { get; }

    /// <summary>When the connection was accepted (a <see cref="TimeProvider.GetTimestamp"/> value of the gateway's clock).</summary>
    public long AcceptedAt { get; }

    /// <summary>When bytes last arrived (a <see cref="TimeProvider.GetTimestamp"/> value of the gateway's clock).</summary>
    public long LastReceivedAt => Volatile.Read(ref lastReceivedAt);

    public ConnectionState State => gate.State;

    public uint UserId { get; private set; }

    /// <summary>The device type sent at login.</summary>
    public DeviceType Device { get; private set; }

    public RejectLog Rejects { get; }

    /// <summary>The last message id pushed per conversation: repeats of a retried delivery are dropped.</summary>
    public PushedMessages Pushed { get; } = new();

    /// <summary>The <c>CID_MSG_DATA</c> rate limit of this connection (the sweeper reports what it dropped).</summary>
    public RateWindow MessageRate => messageRate;

    /// <summary>Completes when <see cref="RunAsync"/> is done: the connection left the registry and its user grain was told.</summary>
    public Task Closed => closed.Task;

    /// <summary>Reads and handles frames until the connection closes, then drains the writer and says goodbye. Called once.</summary>
    public async Task RunAsync()
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("A connection runs once.");
        }

        services.Registry.Add(this);
        var writer = WriteAsync();

        // A stopping gateway serves no new connection: its client finds another through discovery.
        if (services.Registry.IsDraining)
        {
            CloseAfterFlush();
        }
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
            try
            {
                if (UserId != 0)
                {
                    await services.Notifier.DisconnectedAsync(Id, UserId);
                }
            }
            finally
            {
                closed.TrySetResult();
            }
        }
    }

    public bool TrySend(in OutboundFrame frame)
    {
        if (outbound.Writer.TryWrite(frame))
        {
            return true;
        }

        if (Volatile.Read(ref closing) == (int)CloseMode.Open)
        {
            services.Log.QueueFull(Id, Remote);
            Abort("outbound queue full");
        }

        return false;
    }

    public void CloseAfterFlush() => Close(CloseMode.Graceful, string.Empty);

    public void Abort(string reason) => Close(CloseMode.Aborted, reason);

    public bool TryBeginLogin() => gate.TryBeginLogin();

    public bool Authenticate(uint userId, DeviceType device)
    {
        UserId = userId;
        Device = device;
        gate.Authenticated();
        return services.Registry.AddLoggedIn(this);
    }

    public void Activate() => gate.Activate();

    /// <summary>
    /// Queues a push (seq 0) for a logged-in connection; while its login is completing, holds it until the login reply
    /// is queued. False when the connection takes no pushes (not logged in, kicked, closing).
    /// </summary>
    public bool TryPush(in OutboundFrame frame) => gate.TryPush(frame);

    /// <summary>
    /// Kicks the connection: <paramref name="notice"/> (<c>IMKickUser</c>) is its last frame; nothing more is served or
    /// delivered, it is no longer found under its user, and it closes after the kick grace period. A connection still
    /// completing its login gets the notice right after its login reply. True only for the call that kicked it.
    /// </summary>
    public bool TryKick(in OutboundFrame notice)
    {
        if (!gate.TryKick(notice))
        {
            return false;
        }

        services.Registry.RemoveLoggedIn(this);
        _ = CloseAfterGraceAsync();
        return true;
    }

    // Counted when read: every frame of one read shares the time that read completed.
    public bool TryAcceptMessage() => messageRate.TryAccept(LastReceivedAt, services.Settings.MessageRateLimit);

    public bool TryQueueMessage(in PendingSend message, Func<IClientConnection, PendingSend, Task> commit)
    {
        if (State == ConnectionState.Closing)
        {
            return false;
        }

        var pipeline = messages ??= new MessagePipeline(this, services.Settings.MessageQueueCapacity, commit, ex =>
        {
            services.Log.PipelineFailed(ex, Id);
            Abort("message pipeline failed");
        });
        return pipeline.TryEnqueue(message);
    }

    public IGroupGrain Group(uint groupId, IGrainFactory grains) => Conversations.Group(groupId, grains);

    public IConversationGrain Conversation(bool group, uint sessionId, IGrainFactory grains) =>
        Conversations.Conversation(group, UserId, sessionId, grains);

    private ConversationGrains Conversations => LazyInitializer.EnsureInitialized(ref conversations);

    /// <summary>The one close path. Each mode takes effect once; an abort may still cut a graceful close short.</summary>
    private void Close(CloseMode mode, string reason)
    {
        int was;
        do
        {
            was = Volatile.Read(ref closing);
            if (was >= (int)mode)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref closing, (int)mode, was) != was);

        // The transport hears of an abort first: a WebSocket picks its close status from it before the writer loop,
        // woken by the completed queue below, can end the output.
        if (mode == CloseMode.Aborted)
        {
            context.Abort(new ConnectionAbortedException(reason));
        }

        if (was == (int)CloseMode.Open)
        {
            gate.Close();
            services.Registry.RemoveLoggedIn(this);
            messages?.Complete();
            outbound.Writer.TryComplete();
        }

        context.Transport.Input.CancelPendingRead();
    }

    private async Task CloseAfterGraceAsync()
    {
        try
        {
            await Task.Delay(services.Settings.KickGracePeriod, services.Time, context.ConnectionClosed);
        }
        catch (OperationCanceledException)
        {
            return;
        }

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
            var stop = false;
            try
            {
                Volatile.Write(ref lastReceivedAt, services.Time.GetTimestamp());
                while (!stop)
                {
                    var status = FrameReader.TryRead(ref buffer, maxPacketBytes, out var header, out var body);
                    if (status == FrameStatus.Incomplete)
                    {
                        break;
                    }

                    if (status != FrameStatus.Frame)
                    {
                        services.Log.Closing(this, status == FrameStatus.TooShort
                            ? $"frame length {header.Length} is below the 16-byte header"
                            : $"frame length {header.Length} exceeds the {maxPacketBytes}-byte limit", RejectMetric.BadFrame);
                        return;
                    }

                    // The body is a slice of the pipe's buffer: handlers are done with it before they first yield.
                    await services.Dispatcher.DispatchAsync(this, header, body);
                    stop = State == ConnectionState.Closing;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (stop || result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>The writer loop (<see cref="OutboundWriter"/>); when it ends, the connection closes (reading stops too).</summary>
    private async Task WriteAsync()
    {
        var output = context.Transport.Output;
        try
        {
            await OutboundWriter.RunAsync(
                outbound.Reader,
                output,
                () => IsAborted,
                frame => services.Log.IncompleteMessage(frame.Body!.GetType().Name, frame.Command.ToString(), Id),
                ex => services.Log.WriteFailed(Id, ex.Message));
        }
        finally
        {
            CloseAfterFlush();
            await output.CompleteAsync();
        }
    }

    private bool IsAborted => Volatile.Read(ref closing) == (int)CloseMode.Aborted;
}
