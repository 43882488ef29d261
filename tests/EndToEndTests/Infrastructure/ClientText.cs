using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>What a TeamTalk client does to a text before sending it (behaviour.md 1.5), with the clients' key.</summary>
internal static class ClientText
{
    /// <summary>The key TeamTalk's clients use.</summary>
    public const string Key = "12345678901234567890123456789012";

    /// <summary>The image markers a client wraps an uploaded picture's URL in.</summary>
    public static string Image(string url) => "&$#@~^@[{:" + url + ":}]&$~@#@";

    /// <summary>Base64 of AES-256-ECB over the zero-padded text with its length big-endian in the last 4 bytes.</summary>
    public static string Encrypt(string text)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var padded = ((plain.Length + 4 + 15) / 16) * 16;
        var block = new byte[padded];
        plain.CopyTo(block, 0);
        BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(padded - 4), (uint)plain.Length);
        using var aes = Aes.Create();
        aes.Key = Encoding.ASCII.GetBytes(Key);
        return Convert.ToBase64String(aes.EncryptEcb(block, PaddingMode.None));
    }

    /// <summary>What a client reads from a text body: the reverse of <see cref="Encrypt"/>.</summary>
    public static string Decrypt(string base64)
    {
        using var aes = Aes.Create();
        aes.Key = Encoding.ASCII.GetBytes(Key);
        var padded = aes.DecryptEcb(Convert.FromBase64String(base64), PaddingMode.None);
        return Encoding.UTF8.GetString(padded, 0, BinaryPrimitives.ReadInt32BigEndian(padded.AsSpan(padded.Length - 4)));
    }
}
