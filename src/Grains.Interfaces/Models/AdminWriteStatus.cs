namespace TeamTalk.Orleans.Grains.Models;

/// <summary>What a back-office write of a user or a department came to.</summary>
public enum AdminWriteStatus
{
    /// <summary>Written.</summary>
    Done,

    /// <summary>The id names no row.</summary>
    NotFound,

    /// <summary>The login name is already used by another user.</summary>
    Duplicate,

    /// <summary>A field breaks a rule (<see cref="AdminWriteResult.Error"/> names it); nothing written.</summary>
    Invalid,
}
