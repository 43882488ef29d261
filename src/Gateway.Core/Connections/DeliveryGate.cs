namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// A connection's life-cycle state and what it lets through to the client: pushes that arrive while the login
/// completes wait for the login reply and follow it, as does a kick that arrives meanwhile; a connection not logged
/// in, kicked or closing takes no pushes.
/// </summary>
internal sealed class DeliveryGate(IClientConnection connection)
{
    private readonly Lock gate = new();
    private int state = (int)ConnectionState.Accepted;
    private bool authenticated;
    private List<OutboundFrame>? held;
    private OutboundFrame? pendingKick;

    public ConnectionState State => (ConnectionState)Volatile.Read(ref state);

    /// <summary>Moves Accepted → LoggingIn; false when a login was already submitted.</summary>
    public bool TryBeginLogin() => TryTransition(ConnectionState.Accepted, ConnectionState.LoggingIn);

    /// <summary>The credentials were accepted: pushes are held from now on until <see cref="Activate"/>.</summary>
    public void Authenticated()
    {
        lock (gate)
        {
            authenticated = true;
        }
    }

    /// <summary>The login reply is queued: LoggingIn → LoggedIn; held pushes (and a kick that came meanwhile) follow it.</summary>
    public void Activate()
    {
        lock (gate)
        {
            if (!TryTransition(ConnectionState.LoggingIn, ConnectionState.LoggedIn))
            {
                return;
            }

            foreach (var frame in held ?? [])
            {
                connection.TrySend(frame);
            }

            held = null;
            if (pendingKick is { } notice && TryTransition(ConnectionState.LoggedIn, ConnectionState.Kicked))
            {
                connection.TrySend(notice);
            }
        }
    }

    /// <summary>Queues (or, during the login, holds) a push; false when the connection takes none.</summary>
    public bool TryPush(in OutboundFrame frame)
    {
        lock (gate)
        {
            if (State == ConnectionState.LoggingIn && authenticated)
            {
                (held ??= []).Add(frame);
                return true;
            }
        }

        return State == ConnectionState.LoggedIn && connection.TrySend(frame);
    }

    /// <summary>LoggedIn → Kicked with <paramref name="notice"/> as the last frame (after the login reply during a login); true only for the call that kicked.</summary>
    public bool TryKick(in OutboundFrame notice)
    {
        lock (gate)
        {
            if (State == ConnectionState.LoggingIn && authenticated && pendingKick is null)
            {
                pendingKick = notice;
                return true;
            }

            if (!TryTransition(ConnectionState.LoggedIn, ConnectionState.Kicked))
            {
                return false;
            }
        }

        connection.TrySend(notice);
        return true;
    }

    /// <summary>Closing: nothing more is served or let through.</summary>
    public void Close() => Volatile.Write(ref state, (int)ConnectionState.Closing);

    private bool TryTransition(ConnectionState from, ConnectionState to) =>
        Interlocked.CompareExchange(ref state, (int)to, (int)from) == (int)from;
}
