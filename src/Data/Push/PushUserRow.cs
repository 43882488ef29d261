namespace TeamTalk.Orleans.Data.Push;

/// <summary>What a push needs of a user: the nick (for senders) and the push-shield flag (for receivers).</summary>
public sealed record PushUserRow(uint Id, string Nick, uint ShieldStatus);
