namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A chat message's type, with the wire values of <c>IM.BaseDefine.MsgType</c>.</summary>
public enum MessageType : uint
{
    /// <summary>1:1 text.</summary>
    SingleText = 1,

    /// <summary>1:1 audio.</summary>
    SingleAudio = 2,

    /// <summary>Group text.</summary>
    GroupText = 0x11,

    /// <summary>Group audio.</summary>
    GroupAudio = 0x12,
}

/// <summary>The classes of <see cref="MessageType"/>.</summary>
public static class MessageTypeExtensions
{
    /// <summary>True for the group types (0x11, 0x12).</summary>
    public static bool IsGroup(this MessageType type) => ((uint)type & 0x10) != 0;

    /// <summary>True for the audio types (2, 0x12).</summary>
    public static bool IsAudio(this MessageType type) => ((uint)type & 0x0f) == 2;

    /// <summary>The kind of session a message of this type belongs to.</summary>
    public static SessionType Session(this MessageType type) => type.IsGroup() ? SessionType.Group : SessionType.Single;
}
