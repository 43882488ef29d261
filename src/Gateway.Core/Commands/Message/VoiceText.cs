using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// What recent sessions and unread counts show as an audio message's latest text (behaviour.md 1.5): the string
/// <c>[语音]</c> encrypted as clients encrypt text (AES-256-ECB with the key every TeamTalk client has built in, zero
/// padding with the length big-endian in the last 4 bytes, Base64). Computed once.
/// </summary>
internal static class VoiceText
{
    /// <summary>The key hard-coded in the TeamTalk clients (the original server's <c>aesKey</c> must equal it).</summary>
    private static readonly byte[] ClientKey = "12345678901234567890123456789012"u8.ToArray();

    /// <summary>The encrypted <c>[语音]</c>.</summary>
    public static readonly ByteString Encrypted = ByteString.CopyFrom(Encrypt("[语音]"));

    /// <summary>The latest-message bytes of a session summary: the encrypted <c>[语音]</c> for audio, the stored text otherwise.</summary>
    public static ByteString LatestData(ChatMessage latest) => latest.MsgType.IsAudio() ? Encrypted : ByteString.CopyFrom(latest.Data);

    /// <summary>The clients' text encryption of <paramref name="text"/>, as Base64 ASCII bytes.</summary>
    internal static byte[] Encrypt(string text)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var padded = new byte[((plain.Length / 16) + (plain.Length % 16 > 12 ? 2 : 1)) * 16];
        plain.CopyTo(padded, 0);
        BinaryPrimitives.WriteUInt32BigEndian(padded.AsSpan(padded.Length - 4), (uint)plain.Length);
        using var aes = Aes.Create();
        aes.Key = ClientKey;
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(aes.EncryptEcb(padded, PaddingMode.None)));
    }

    /// <summary>The inverse of <see cref="Encrypt"/> (what a client does on receipt).</summary>
    internal static string Decrypt(ReadOnlySpan<byte> base64)
    {
        using var aes = Aes.Create();
        aes.Key = ClientKey;
        var padded = aes.DecryptEcb(Convert.FromBase64String(Encoding.ASCII.GetString(base64)), PaddingMode.None);
        var length = BinaryPrimitives.ReadInt32BigEndian(padded.AsSpan(padded.Length - 4));
        return Encoding.UTF8.GetString(padded, 0, length);
    }
}
