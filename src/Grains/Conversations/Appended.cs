using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// A message committed and handed to its recipients: the stored <paramref name="Message"/>, and the recipients whose
/// delivery said they have a live mobile connection (<paramref name="OnMobile"/>), who need no push notification for it.
/// A recipient whose delivery failed or is still running is not among them.
/// </summary>
public readonly record struct Appended(ChatMessage Message, uint[] OnMobile);
