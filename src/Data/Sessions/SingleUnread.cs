namespace TeamTalk.Orleans.Data.Sessions;

/// <summary>A 1:1 session with unread messages: the peer, the count (<c>TeamTalkUnread</c>) and the pair's relation id (0 when none).</summary>
public sealed record SingleUnread(uint PeerId, uint Count, uint RelateId);
