namespace TeamTalk.Orleans.Data.Sessions;

/// <summary>
/// A user's membership of a group: when it joined and how far it has read (<see cref="ReadMsgId"/> is null when never
/// recorded: a membership made by other means, or older than this server, counts every message since joining).
/// </summary>
public sealed record GroupPosition(uint GroupId, uint Joined, uint? ReadMsgId);
