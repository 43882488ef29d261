using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// The last message id pushed to one connection per conversation (a 1:1 pair or a group). Conversations deliver at
/// least once and in id order, so a message at or below that id was already pushed (a retried delivery whose first
/// attempt did arrive) and is dropped: the client sees each message once, in id order. Thread-safe (silos push
/// concurrently).
/// </summary>
internal sealed class PushedMessages
{
    private readonly Lock gate = new();
    private readonly Dictionary<(bool Group, uint A, uint B), uint> last = [];

    /// <summary>True when <paramref name="push"/> is new to the connection (and is recorded as pushed); false for a repeat.</summary>
    public bool TryAdvance(MessagePush push)
    {
        var key = Key(push);
        lock (gate)
        {
            if (last.TryGetValue(key, out var pushed) && push.MsgId <= pushed)
            {
                return false;
            }

            last[key] = push.MsgId;
            return true;
        }
    }

    /// <summary>A group by its id; a 1:1 pair by both user ids (the same whichever of them sent), the smaller first.</summary>
    private static (bool Group, uint A, uint B) Key(MessagePush push) =>
        push.MsgType.IsGroup() ? (true, push.ToSessionId, 0)
        : push.FromUserId < push.ToSessionId ? (false, push.FromUserId, push.ToSessionId)
        : (false, push.ToSessionId, push.FromUserId);
}
