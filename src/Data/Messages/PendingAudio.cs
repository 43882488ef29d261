namespace TeamTalk.Orleans.Data.Messages;

/// <summary>
/// The <c>IMAudio</c> row of an audio message, inserted in the message's batch just before the message row, whose
/// <c>content</c> becomes the new row's id (as the original stores audio). <see cref="Path"/> is the blob's name (the
/// original kept an msfs URL there); <see cref="ToId"/> is the receiver, or the group of a group message.
/// </summary>
public sealed record PendingAudio(uint FromId, uint ToId, string Path, uint Size, uint Duration, uint Created);
