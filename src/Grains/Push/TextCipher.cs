using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>
/// The clients' text encryption (behaviour.md 1.5), decrypt side only: Base64 of AES-256-ECB over the plaintext
/// zero-padded to whole blocks, its length big-endian in the last 4 bytes. Used to show a message's text in a push.
/// </summary>
public sealed class TextCipher : IDisposable
{
    private const int Block = 16;
    private readonly Aes aes;

    /// <param name="key">32 ASCII characters.</param>
    public TextCipher(string key)
    {
        aes = Aes.Create();
        aes.Key = Encoding.ASCII.GetBytes(key);
    }

    /// <summary>The plaintext of <paramref name="data"/>; false when it is not text encrypted with this key.</summary>
    public bool TryDecrypt(ReadOnlySpan<byte> data, out string text)
    {
        text = string.Empty;
        var encoded = Encoding.ASCII.GetString(data).Trim();
        var raw = new byte[encoded.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(encoded, raw, out var length) || length == 0 || length % Block != 0)
        {
            return false;
        }

        byte[] plain;
        try
        {
            plain = aes.DecryptEcb(raw.AsSpan(0, length), PaddingMode.None);
        }
        catch (CryptographicException)
        {
            return false;
        }

        var size = BinaryPrimitives.ReadUInt32BigEndian(plain.AsSpan(plain.Length - 4));
        if (size > plain.Length - 4)
        {
            return false;
        }

        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plain, 0, (int)size);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public void Dispose() => aes.Dispose();
}
