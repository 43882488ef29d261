using System.Net;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// What a command handler sees of its connection: who it is, its state, sending and closing. The connection's
/// lifetime (reading, writing, closing, telling the cluster) belongs to <see cref="ClientConnection"/>.
/// </summary>
internal interface IClientConnection
{
    /// <summary>Gateway-local id, unique for this process's lifetime.</summary>
    long Id { get; }

    /// <summary>The client's address, when known.</summary>
    IPEndPoint? Remote { get; }

    /// <summary>How the client reached the gateway (TCP or WebSocket).</summary>
    ClientTransport Transport { get; }

    /// <summary>The user this connection logged in as; 0 before login.</summary>
    uint UserId { get; }

    /// <summary>The device type sent at login (meaningful once authenticated).</summary>
    DeviceType Device { get; }

    /// <summary>Where the connection is in its life cycle.</summary>
    ConnectionState State { get; }

    /// <summary>Rate limit of the warnings about this connection's rejected input.</summary>
    RejectLog Rejects { get; }

    /// <summary>
    /// Queues a frame. False when the connection is closing; a full queue means the client stopped reading, and the
    /// connection is aborted.
    /// </summary>
    bool TrySend(in OutboundFrame frame);

    /// <summary>Sends what is queued, then closes (after a reply such as a failed login or a logout).</summary>
    void CloseAfterFlush();

    /// <summary>Closes at once, dropping what is queued.</summary>
    void Abort(string reason);

    /// <summary>Moves Accepted → LoggingIn; false when a login was already submitted on this connection.</summary>
    bool TryBeginLogin();

    /// <summary>
    /// The credentials were accepted: the connection belongs to <paramref name="userId"/> from now on (and is found
    /// under that user), but pushes for it are held until <see cref="Activate"/>, so that the client sees its login
    /// reply first. Returns true when this gateway holds no other logged-in connection of the user (the user grain then
    /// need not ask it which ones it holds).
    /// </summary>
    bool Authenticate(uint userId, DeviceType device);

    /// <summary>The login reply is queued: the connection is logged in; held pushes (and a kick that came meanwhile) follow it.</summary>
    void Activate();

    /// <summary>Counts one <c>CID_MSG_DATA</c> against the per-second limit; false when over it (the excess is counted for the sweeper's report).</summary>
    bool TryAcceptMessage();

    /// <summary>
    /// Queues a message for <paramref name="commit"/>, which is called for this connection's messages one at a time in
    /// the order they were queued. False when too many are waiting or the connection is closing.
    /// </summary>
    bool TryQueueMessage(in PendingSend message, Func<IClientConnection, PendingSend, Task> commit);

    /// <summary>The grain of group <paramref name="groupId"/> (references are kept per connection).</summary>
    IGroupGrain Group(uint groupId, IGrainFactory grains);

    /// <summary>The conversation a message or request names: the 1:1 session with a peer, or a group.</summary>
    IConversationGrain Conversation(bool group, uint sessionId, IGrainFactory grains);
}
