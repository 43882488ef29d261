using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>What a TeamTalk client does to a text before sending it (behaviour.md 1.5), with the clients' key.</summary>
public static class TestCipher
{
    public const string Key = "12345678901234567890123456789012";

    /// <summary>Base64 of AES-256-ECB over the zero-padded text with its length big-endian in the last 4 bytes.</summary>
    public static byte[] Encrypt(string text)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var remainder = plain.Length % 16;
        var padded = plain.Length - remainder + (remainder is 0 or > 12 ? 32 : 16);
        if (remainder == 0)
        {
            padded = plain.Length + 16;
        }

        var block = new byte[padded];
        plain.CopyTo(block, 0);
        BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(padded - 4), (uint)plain.Length);
        using var aes = Aes.Create();
        aes.Key = Encoding.ASCII.GetBytes(Key);
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(aes.EncryptEcb(block, PaddingMode.None)));
    }
}
