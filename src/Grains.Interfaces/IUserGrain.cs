using Orleans.Concurrency;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per user id: the user's live connections on every gateway, presence and the multi-login (kick) rules.
/// On activation it asks the live gateways which connections they hold for the user, so a grain reactivated after
/// its silo died knows them again.
/// </summary>
public interface IUserGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records a newly logged-in connection. Same-class connections of the user (PC with PC, mobile with mobile)
    /// are kicked first with <see cref="KickReason.DuplicateUser"/>. A PC login is announced to every PC connection of
    /// the organisation and to the user's mobile connections (behaviour.md 3.2.2). <paramref name="aloneOnItsGateway"/>:
    /// the calling gateway holds no other logged-in connection of the user, so the grain need not ask it which ones it
    /// holds (a first login that activates the grain then costs no call back to its own gateway).
    /// </summary>
    Task<ConnectOutcome> ConnectAsync(UserConnection connection, bool aloneOnItsGateway);

    /// <summary>Forgets a connection that closed (logout, kick, timeout, socket error); the last PC going away is announced.</summary>
    Task DisconnectAsync(ConnectionRef connection);

    /// <summary>
    /// Pushes <paramref name="pushes"/>, in order, to every live connection of the user except <paramref name="except"/>,
    /// on every gateway in parallel (each gateway call bounded by a timeout). A caller that awaits one delivery before
    /// the next keeps their order on every connection. Returns whether the user has a live mobile connection (a phone
    /// that got the pushes, or sent them): a conversation's message then needs no push notification to that user.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> DeliverAsync(ClientPush[] pushes, ConnectionRef? except);

    /// <summary>
    /// Pushes a run of messages, in order, to every live connection of the user, except that <c>pushes[i]</c> does not
    /// go to <c>skip[i]</c> (the connection that sent it, when the user sent it; null otherwise). One call delivers a
    /// conversation's messages that committed together, whoever sent them. Returns whether the user has a live mobile
    /// connection, as <see cref="DeliverAsync"/> does.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> DeliverRunAsync(ClientPush[] pushes, ConnectionRef?[] skip);

    /// <summary>The user's live connections.</summary>
    Task<UserConnection[]> GetConnectionsAsync();

    /// <summary>Presence as the original reports it: online iff a PC-class connection exists.</summary>
    Task<UserPresence> GetPresenceAsync();

    /// <summary>
    /// A mobile kicks the user's PCs (behaviour.md 3.3.4): every PC-class connection, on any gateway, gets
    /// <c>IMKickUser</c> with <see cref="KickReason.MobileKick"/>, is served no more and is closed; the user goes
    /// offline as on any last PC close. Returns how many were kicked (0 when none was logged in).
    /// </summary>
    Task<int> KickPcAsync();

    /// <summary>
    /// The user left (the back-office set <c>IMUser.status</c> 3): every connection, PC and mobile, on any gateway, gets
    /// <c>IMKickUser</c> (reason 1: the only other value the clients know means a mobile took over), is served no more
    /// and is closed; a PC going away is announced OFFLINE. Returns how many were kicked.
    /// </summary>
    Task<int> KickAllAsync();
}
