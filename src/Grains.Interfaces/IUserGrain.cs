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
    /// are kicked first with <see cref="KickReason.DuplicateUser"/>.
    /// </summary>
    Task ConnectAsync(UserConnection connection);

    /// <summary>Forgets a connection that closed (logout, kick, timeout, socket error).</summary>
    Task DisconnectAsync(ConnectionRef connection);

    /// <summary>The user's live connections.</summary>
    Task<UserConnection[]> GetConnectionsAsync();

    /// <summary>Presence as the original reports it: online iff a PC-class connection exists.</summary>
    Task<UserPresence> GetPresenceAsync();
}
