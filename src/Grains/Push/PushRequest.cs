using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>
/// A committed message handed to the push service: the users who may get a push for it (the 1:1 receiver, or the
/// group's members minus the sender and those who muted the group).
/// </summary>
/// <param name="Message">The stored message.</param>
/// <param name="GroupId">The group, or 0 for a 1:1 message.</param>
/// <param name="Receivers">The candidates; the sender is never among them.</param>
public sealed record PushRequest(ChatMessage Message, uint GroupId, uint[] Receivers);
