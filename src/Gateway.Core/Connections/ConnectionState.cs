namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>Life cycle of a client connection.</summary>
internal enum ConnectionState
{
    /// <summary>Accepted; only heartbeat and login are served.</summary>
    Accepted,

    /// <summary>A login request is being checked; later frames wait for it.</summary>
    LoggingIn,

    /// <summary>Authenticated as a user.</summary>
    LoggedIn,

    /// <summary>Kicked by a newer login: nothing more is served or delivered; closes after a grace period.</summary>
    Kicked,

    /// <summary>Closing: the outbound queue drains, nothing new is accepted.</summary>
    Closing,
}
