using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using TeamTalk.Orleans.Grains;
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
    private const int MaxCachedSessions = 64;

    private readonly ConnectionContext context;
    private readonly Channel<OutboundFrame> outbound;
    private readonly ILogger logger;
    private readonly Lock pushGate = new();
    private int state = (int)ConnectionState.Accepted;
    private List<OutboundFrame>? held;
    private OutboundFrame? pendingKick;
    private long lastReceivedMs;
    private Dictionary<uint, IRelationGrain>? relations;
    private Dictionary<uint, IGroupGrain>? groups;

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

    /// <summary>This connection's messages on their way to the Sessions; created with its first message.</summary>
    public MessagePipeline? Messages { get; set; }

    public CancellationToken Closed => context.ConnectionClosed;

    /// <summary>
    /// The Relation grain of this user and <paramref name="peer"/> (their 1:1 conversation). References are kept per peer
    /// (at most <see cref="MaxCachedSessions"/>): resolving one costs a type lookup and a key string, on every message otherwise.
    /// </summary>
    public IRelationGrain RelationWith(uint peer, IGrainFactory grains)
    {
        lock (pushGate)
        {
            relations ??= [];
            if (!relations.TryGetValue(peer, out var relation))
            {
                if (relations.Count >= MaxCachedSessions)
                {
                    relations.Clear();
                }

                relation = grains.GetRelationGrain(UserId, peer);
                relations[peer] = relation;
            }

            return relation;
        }
    }

    /// <summary>The grain of group <paramref name="groupId"/>, kept as <see cref="RelationWith"/> keeps relations.</summary>
    public IGroupGrain Group(uint groupId, IGrainFactory grains)
    {
        lock (pushGate)
        {
            groups ??= [];
            if (!groups.TryGetValue(groupId, out var group))
            {
                if (groups.Count >= MaxCachedSessions)
                {
                    groups.Clear();
                }

                group = grains.GetGroupGrain(groupId);
                groups[groupId] = group;
            }

            return group;
        }
    }

    /// <summary>The conversation a message or request names: the relation with a peer, or a group.</summary>
    public IConversationGrain Conversation(bool group, uint sessionId, IGrainFactory grains) =>
        group ? Group(sessionId, grains) : RelationWith(sessionId, grains);

    public void Touch() => Volatile.Write(ref lastReceivedMs, Environment.TickCount64);

    /// <summary>Moves Accepted → LoggingIn; false when a login was already submitted on this connection.</summary>
    public bool TryBeginLogin() => TryTransition(ConnectionState.Accepted, ConnectionState.LoggingIn);

    /// <summary>Back to Accepted after a login request that could not be parsed (the original ignores it).</summary>
    public void AbandonLogin() => TryTransition(ConnectionState.LoggingIn, ConnectionState.Accepted);

    /// <summary>
    /// The credentials were accepted: the connection belongs to <paramref name="userId"/> from now on, but pushes for
    /// it are held until <see cref="Activate"/>, so that the client sees its login reply first.
    /// </summary>
    public void Authenticate(uint userId, DeviceType device)
    {
        UserId = userId;
        Device = device;
    }

    /// <summary>The login reply is queued: the connection is logged in; held pushes (and a kick that came meanwhile) follow it.</summary>
    public void Activate()
    {
        lock (pushGate)
        {
            if (!TryTransition(ConnectionState.LoggingIn, ConnectionState.LoggedIn))
            {
                return;
            }

            foreach (var frame in held ?? [])
            {
                TrySend(frame);
            }

            held = null;
            if (pendingKick is { } notice && TryTransition(ConnectionState.LoggedIn, ConnectionState.Kicked))
            {
                TrySend(notice);
            }
        }
    }

    /// <summary>
    /// Queues a push (seq 0) for a logged-in connection; while its login is completing, holds it until the login reply
    /// is queued. False when the connection takes no pushes (not logged in, kicked, closing).
    /// </summary>
    public bool TryPush(in OutboundFrame frame)
    {
        lock (pushGate)
        {
            if (State == ConnectionState.LoggingIn && UserId != 0)
            {
                (held ??= []).Add(frame);
                return true;
            }
        }

        return State == ConnectionState.LoggedIn && TrySend(frame);
    }

    /// <summary>
    /// Kicks the connection: <paramref name="notice"/> (<c>IMKickUser</c>) is its last frame; nothing more is served or
    /// delivered. A connection still completing its login gets the notice right after its login reply. True only for
    /// the call that kicked it.
    /// </summary>
    public bool TryKick(in OutboundFrame notice)
    {
        lock (pushGate)
        {
            if (State == ConnectionState.LoggingIn && UserId != 0 && pendingKick is null)
            {
                pendingKick = notice;
                return true;
            }

            if (!TryTransition(ConnectionState.LoggedIn, ConnectionState.Kicked))
            {
                return false;
            }
        }

        TrySend(notice);
        return true;
    }

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
        Messages?.Complete();
        Volatile.Write(ref state, (int)ConnectionState.Closing);
        outbound.Writer.TryComplete();
        context.Transport.Input.CancelPendingRead();
    }

    /// <summary>Closes at once, dropping what is queued.</summary>
    public void Abort(string reason)
    {
        Messages?.Complete();
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
