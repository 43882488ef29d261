using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per gateway process: the file connections it holds. The File transfer grain tells a side of an online transfer
/// that the other side arrived or left; the other side's gateway relays the transfer's PDUs straight to it (gateway to
/// gateway, no grain call per chunk). Every method only queues on the connection and returns.
/// </summary>
public interface IFileRelayObserver : IGrainObserver
{
    /// <summary>The other side logged in: from now on the connection relays to <paramref name="peer"/>.</summary>
    Task PeerReadyAsync(long connectionId, FilePeer peer);

    /// <summary>The other side's connection closed: the transfer is over, the connection is closed.</summary>
    Task PeerGoneAsync(long connectionId);

    /// <summary>
    /// Queues a PDU of the other side on the connection. False when the connection is gone or refuses it (a response
    /// nobody asked for, too many requests outstanding): the sending side then closes.
    /// </summary>
    Task<bool> RelayAsync(long connectionId, FileFrame frame);
}
