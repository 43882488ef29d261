using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// Request/response over one connection for the low-rate scenarios (mixed, history): a request goes out with a fresh
/// seq, the server echoes it on the reply, the waiting task completes with the reply's body. Not for the hot path.
/// </summary>
internal sealed class RequestTracker
{
    private readonly Dictionary<ushort, (CommandKey Expected, TaskCompletionSource<byte[]> Reply)> pending = [];
    private readonly Lock gate = new();
    private int seq;

    /// <summary>Sends <paramref name="body"/> and waits for the reply with command <paramref name="reply"/>; null on timeout or close.</summary>
    public async Task<(byte[]? Body, long Micros)> CallAsync(LeanConnection connection, CommandKey request, CommandKey reply, Google.Protobuf.IMessage body, TimeSpan timeout, CancellationToken ct)
    {
        var s = NextSeq();
        var tcs = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            pending[s] = (reply, tcs);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            if (!connection.SendMessage(request, s, body))
            {
                return (null, 0);
            }

            var result = await tcs.Task.WaitAsync(timeout, ct);
            return (result, Sessions.Micros(Stopwatch.GetTimestamp() - started));
        }
        catch (TimeoutException)
        {
            return (null, 0);
        }
        finally
        {
            lock (gate)
            {
                pending.Remove(s);
            }
        }
    }

    /// <summary>Completes the request the frame answers; false when it answers none.</summary>
    public bool TryComplete(in PacketHeader header, ReadOnlySpan<byte> body)
    {
        if (header.SeqNum == 0)
        {
            return false;
        }

        TaskCompletionSource<byte[]> tcs;
        lock (gate)
        {
            if (!pending.TryGetValue(header.SeqNum, out var entry) || entry.Expected != header.Command)
            {
                return false;
            }

            tcs = entry.Reply;
            pending.Remove(header.SeqNum);
        }

        tcs.TrySetResult(body.ToArray());
        return true;
    }

    private ushort NextSeq()
    {
        while (true)
        {
            var s = (ushort)Interlocked.Increment(ref seq);
            if (s != 0)
            {
                return s;
            }
        }
    }
}
