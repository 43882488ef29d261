using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// Delivery of a run: a conversation's committed messages that are ready together, in id order. Under load many
/// messages commit in one batch, so a run turns many deliveries into one call per member, whoever sent them.
/// </summary>
public static class RunDelivery
{
    /// <summary>Most messages in one run.</summary>
    public const int MaxRun = 256;

    /// <summary>
    /// Delivers the run to one member: everything to all its connections, except each message it sent itself, which
    /// skips the connection that sent it. True when the member has a live mobile connection (see <see cref="IUserGrain.DeliverAsync"/>).
    /// </summary>
    public static Task<bool> ToMember(IUserGrain user, uint member, ClientPush[] pushes, IReadOnlyList<(uint From, ConnectionRef Connection)> senders)
    {
        ConnectionRef?[]? skip = null;
        var onlyOwn = true;
        for (var i = 0; i < senders.Count; i++)
        {
            if (senders[i].From == member)
            {
                skip ??= new ConnectionRef?[senders.Count];
                skip[i] = senders[i].Connection;
            }

            onlyOwn &= senders[i].From == member && senders[i].Connection == senders[0].Connection;
        }

        return skip is null ? user.DeliverAsync(pushes, null)
            : onlyOwn ? user.DeliverAsync(pushes, senders[0].Connection)
            : user.DeliverRunAsync(pushes, skip);
    }
}
