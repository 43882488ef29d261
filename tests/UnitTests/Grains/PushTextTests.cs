using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Push;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>The text of a push (behaviour.md 3.9) and the decryption it rests on (1.5); the quiet hours.</summary>
public sealed class PushTextTests
{
    private const string Key = "12345678901234567890123456789012";

    [Theory]
    [InlineData("")]
    [InlineData("hi")]
    [InlineData("exactly 12 b")]
    [InlineData("thirteen byte")]
    [InlineData("sixteen bytes!!!")]
    [InlineData("你好，世界")]
    public void Decrypts_what_a_client_encrypts(string text)
    {
        using var cipher = new TextCipher(Key);
        Assert.True(cipher.TryDecrypt(Encrypt(text), out var plain));
        Assert.Equal(text, plain);
    }

    [Theory]
    [InlineData("not base64 !!")]
    [InlineData("AAAA")]
    [InlineData("")]
    public void Refuses_what_is_not_encrypted_text(string data)
    {
        using var cipher = new TextCipher(Key);
        Assert.False(cipher.TryDecrypt(Encoding.ASCII.GetBytes(data), out _));
    }

    [Fact]
    public void Text_image_voice_unknown_sender_and_unreadable_text()
    {
        using var cipher = new TextCipher(Key);
        Assert.Equal("ann:hello", PushText.For(Text("hello"), "ann", cipher));
        Assert.Equal("ann:[图片]", PushText.For(Text("&$#@~^@[{:http://x/y.png:}]&$~@#@"), "ann", cipher));
        Assert.Equal("ann:[语音]", PushText.For(new ChatMessage(1, 2, 3, MessageType.GroupAudio, [0, 0, 0, 1, 9]), "ann", cipher));
        Assert.Equal(PushText.Generic, PushText.For(Text("hello"), null, cipher));
        Assert.Equal(PushText.Generic, PushText.For(Text("hello"), "ann", null));
        Assert.Equal(PushText.Generic, PushText.For(new ChatMessage(1, 2, 3, MessageType.SingleText, "plain"u8.ToArray()), "ann", cipher));
    }

    [Fact]
    public void A_long_text_is_cut_on_a_character_boundary()
    {
        using var cipher = new TextCipher(Key);
        var alert = PushText.For(Text(new string('中', 20)), "ann", cipher);

        // "ann:" is 4 bytes, each 中 3: 11 of them fit in 37 bytes.
        Assert.Equal("ann:" + new string('中', 11) + "...", alert);
    }

    [Theory]
    [InlineData(22, 0, true)]
    [InlineData(23, 59, true)]
    [InlineData(0, 0, true)]
    [InlineData(7, 59, true)]
    [InlineData(8, 0, false)]
    [InlineData(21, 59, false)]
    [InlineData(12, 0, false)]
    public void Quiet_hours_run_from_22_to_8_across_midnight(int hour, int minute, bool quiet)
    {
        var at = new DateTimeOffset(2026, 1, 1, hour, minute, 0, TimeSpan.Zero);
        Assert.Equal(quiet, QuietHours.Contains(at, TimeSpan.FromHours(22), TimeSpan.FromHours(8)));
    }

    private static ChatMessage Text(string text) => new(1, 2, 3, MessageType.SingleText, Encrypt(text));

    private static byte[] Encrypt(string text)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var remainder = plain.Length % 16;
        var size = plain.Length - remainder + (remainder is 0 or > 12 ? 32 : 16);
        size = remainder == 0 ? plain.Length + 16 : size;
        var block = new byte[size];
        plain.CopyTo(block, 0);
        BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(size - 4), (uint)plain.Length);
        using var aes = Aes.Create();
        aes.Key = Encoding.ASCII.GetBytes(Key);
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(aes.EncryptEcb(block, PaddingMode.None)));
    }
}
