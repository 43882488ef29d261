using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>One push to one phone, as a provider sends it.</summary>
/// <param name="Token">The phone's token.</param>
/// <param name="Device">iOS (APNs) or Android (FCM).</param>
/// <param name="UserId">The receiver.</param>
/// <param name="Alert">The text shown (the sender's nick and the message, or a placeholder).</param>
/// <param name="Badge">The receiver's unread total.</param>
/// <param name="MsgType">The message's type (payload <c>msg_type</c>).</param>
/// <param name="FromUserId">The sender (payload <c>from_id</c>).</param>
/// <param name="GroupId">The group (payload <c>group_id</c>), 0 for a 1:1 message.</param>
/// <param name="MsgId">The message id within its conversation.</param>
public sealed record PushNotification(
    string Token,
    DeviceType Device,
    uint UserId,
    string Alert,
    uint Badge,
    MessageType MsgType,
    uint FromUserId,
    uint GroupId,
    uint MsgId);
