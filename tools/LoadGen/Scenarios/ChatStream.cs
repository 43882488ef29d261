using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.Protocol;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// One sender's messages to one session (a peer user, or a group): its send plan (a rate schedule, or a flat-out window
/// of unacked messages) and what became of each message.
/// </summary>
internal sealed class ChatStream : IScheduled
{
    private const int RingSize = 1024;

    private readonly IStreamOwner owner;
    private readonly byte[] body;
    private readonly Lock flatOutGate = new();
    private readonly long[] sentAt = new long[RingSize];
    private readonly uint msgType;
    private readonly bool probe;
    private SendSchedule? schedule;
    private long nextK;
    private int outstanding;

    /// <param name="owner">The worker that schedules the stream and records its figures.</param>
    /// <param name="from">The sending connection.</param>
    /// <param name="toSessionId">The peer user id (1:1) or the group id.</param>
    /// <param name="msgType">The message type sent (1: single text, 17: group text).</param>
    /// <param name="probe">Send latest-message-id requests instead of messages (<see cref="ChatOptions.Probe"/>).</param>
    public ChatStream(IStreamOwner owner, LeanConnection from, uint toSessionId, uint msgType, bool probe = false)
    {
        this.owner = owner;
        this.msgType = msgType;
        this.probe = probe;
        From = from;
        ToSessionId = toSessionId;
        body = new byte[64 + Math.Max(owner.MessageBytes, MessagePayload.MaxHeaderBytes)];
    }

    public LeanConnection From { get; }

    /// <summary>The peer user id (1:1) or the group id.</summary>
    public uint ToSessionId { get; }

    /// <summary>Acks of this sender's messages (and, for 1:1, deliveries to the peer).</summary>
    public MessageLedger Ledger { get; } = new();

    public void UseSchedule(SendSchedule plan) => schedule = plan;

    public long IntendedOf(long k) => schedule?.IntendedTime(k) ?? sentAt[k % RingSize];

    public long Run(long now)
    {
        if (From.IsClosed)
        {
            return long.MaxValue;
        }

        if (schedule is { } plan)
        {
            while (plan.TryTakeDue(now, out var k, out var intended))
            {
                Send(k, intended);
            }

            return plan.Finished ? long.MaxValue : plan.NextDue;
        }

        lock (flatOutGate)
        {
            TopUp(now);
        }

        return long.MaxValue;
    }

    /// <summary>An ack for this stream arrived on the sender's receive loop.</summary>
    public void OnAck(ushort seq, long now)
    {
        var k = Ledger.Ack(seq);
        if (k < 0)
        {
            return;
        }

        owner.RecordAck(IntendedOf(k), now);
        if (schedule is null)
        {
            lock (flatOutGate)
            {
                outstanding--;
                TopUp(now);
            }
        }
    }

    private void TopUp(long now)
    {
        while (outstanding < owner.Inflight && now < owner.WindowEnd)
        {
            var k = nextK++;
            sentAt[k % RingSize] = now;
            outstanding++;
            Send(k, now);
        }
    }

    private void Send(long k, long intended)
    {
        if (probe)
        {
            SendProbe(k, intended);
            return;
        }

        Span<byte> payload = stackalloc byte[Math.Max(owner.MessageBytes, MessagePayload.MaxHeaderBytes)];
        var payloadLength = MessagePayload.Write(payload, k, intended, owner.MessageBytes);
        var writer = new ProtoWriter(body);
        writer.UInt32(1, From.UserId);
        writer.UInt32(2, ToSessionId);
        writer.UInt32(3, 0);
        writer.UInt32(4, 0);
        writer.UInt32(5, msgType);
        writer.Bytes(6, payload[..payloadLength]);
        Ledger.MarkSent(k);
        owner.RecordSent(intended);
        if (!From.SendFrame(CommandKeys.MessageData, MessageLedger.SeqFor(k), body.AsSpan(0, writer.Length)))
        {
            owner.RecordSendFailure();
        }
    }

    /// <summary>
    /// Writes a CID_MSG_GET_LATEST_MSG_ID_REQ body (<c>IMGetLatestMsgIdReq</c>) asking <paramref name="userId"/>'s 1:1
    /// session with <paramref name="peer"/>; returns its length.
    /// </summary>
    internal static int WriteProbe(Span<byte> body, uint userId, uint peer)
    {
        var writer = new ProtoWriter(body);
        writer.UInt32(1, userId);
        writer.UInt32(2, 1); // SESSION_TYPE_SINGLE
        writer.UInt32(3, peer);
        return writer.Length;
    }

    /// <summary>A latest-message-id request for the session with the peer; its answer is matched by seq like an ack.</summary>
    private void SendProbe(long k, long intended)
    {
        var length = WriteProbe(body, From.UserId, ToSessionId);
        Ledger.MarkSent(k);
        owner.RecordSent(intended);
        if (!From.SendFrame(CommandKeys.LatestIdRequest, MessageLedger.SeqFor(k), body.AsSpan(0, length)))
        {
            owner.RecordSendFailure();
        }
    }
}
