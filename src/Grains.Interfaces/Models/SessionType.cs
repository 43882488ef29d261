namespace TeamTalk.Orleans.Grains.Models;

/// <summary>The kind of a session (an entry of a user's conversation list), with the wire values of <c>IM.BaseDefine.SessionType</c>.</summary>
public enum SessionType : uint
{
    /// <summary>A 1:1 conversation (<c>SESSION_TYPE_SINGLE</c>); the session id is the peer's user id.</summary>
#pragma warning disable CA1720 // the protocol's own name for it
    Single = 1,
#pragma warning restore CA1720

    /// <summary>A group conversation; the session id is the group id.</summary>
    Group = 2,
}
