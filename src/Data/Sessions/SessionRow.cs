using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Sessions;

/// <summary>
/// An active <c>IMRecentSession</c> row with what its latest message depends on: the pair's relation id (1:1; 0 when
/// none) or the time the user joined the group (groups; null when the user is not a member).
/// </summary>
public sealed record SessionRow(uint SessionId, SessionType Type, uint Updated, uint RelateId, uint? Joined);
