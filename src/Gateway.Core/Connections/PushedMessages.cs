using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// Which message ids were pushed to one connection per conversation (a 1:1 pair or a group): the highest, and which
/// of the <see cref="Window"/> ids below it. Conversations deliver at least once, so a retried delivery whose first
/// attempt did arrive is dropped here and the client sees each message once. A message below the highest that was
/// never pushed is pushed, late: while a silo stops, the conversation's old activation can retry a message after its
/// new activation (on another silo) delivered a newer one, and dropping it would lose it. An id further below the
/// highest than the window cannot be told from a repeat and is dropped. Thread-safe (silos push concurrently).
/// </summary>
internal sealed class PushedMessages
{
    /// <summary>How many ids below the highest are remembered per conversation.</summary>
    public const int Window = 128;

    private readonly Lock gate = new();
    private readonly Dictionary<(bool Group, uint A, uint B), (uint Highest, UInt128 Seen)> pushed = [];

    /// <summary>True when <paramref name="push"/> is new to the connection (and is recorded as pushed); false for a repeat.</summary>
    public bool TryAdvance(MessagePush push)
    {
        var key = Key(push);
        var id = push.MsgId;
        lock (gate)
        {
            if (!pushed.TryGetValue(key, out var seen))
            {
                pushed[key] = (id, UInt128.One);
                return true;
            }

            if (id > seen.Highest)
            {
                var shift = id - seen.Highest;
                pushed[key] = (id, shift >= Window ? UInt128.One : (seen.Seen << (int)shift) | UInt128.One);
                return true;
            }

            var below = seen.Highest - id;
            var bit = below < Window ? UInt128.One << (int)below : UInt128.Zero;
            if (bit == UInt128.Zero || (seen.Seen & bit) != UInt128.Zero)
            {
                return false;
            }

            pushed[key] = (seen.Highest, seen.Seen | bit);
            return true;
        }
    }

    /// <summary>A group by its id; a 1:1 pair by both user ids (the same whichever of them sent), the smaller first.</summary>
    private static (bool Group, uint A, uint B) Key(MessagePush push) =>
        push.MsgType.IsGroup() ? (true, push.ToSessionId, 0)
        : push.FromUserId < push.ToSessionId ? (false, push.FromUserId, push.ToSessionId)
        : (false, push.ToSessionId, push.FromUserId);
}
