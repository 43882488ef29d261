using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// A committed message on its way out: to <see cref="ToSessionId"/> (the receiver of a 1:1 message, or the group), for
/// <see cref="Recipients"/> (the users of the moment it was accepted), skipping the connection that sent it;
/// <see cref="CommittedAt"/> is the <see cref="TimeProvider"/> timestamp of its commit (for the delivery latency);
/// <see cref="HandedOff"/> completes when its run was handed to every recipient (then it is acknowledged).
/// </summary>
public sealed record Outgoing(ChatMessage Message, uint ToSessionId, ConnectionRef Connection, uint[] Recipients, long CommittedAt = 0)
{
    /// <summary>
    /// Completes when the message's run was handed to every recipient, with the recipients known to have a live mobile
    /// connection (their User grain said so while delivering it).
    /// </summary>
    public TaskCompletionSource<uint[]> HandedOff { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
