using Google.Protobuf;

namespace TeamTalk.Orleans.Protocol.Framing;

/// <summary>
/// The proto2 required-field check every outgoing message passes before it is written: the original clients reject
/// a message that lacks a required field, even one holding 0 or an empty string.
/// </summary>
public static class RequiredFields
{
    /// <summary>True when every required field (recursively) has been set.</summary>
    public static bool IsComplete(IMessage message) => message.IsInitialized();
}
