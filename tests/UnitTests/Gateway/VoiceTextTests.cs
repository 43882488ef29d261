using System.Text;
using TeamTalk.Orleans.Gateway.Commands.Message;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Gateway;

public sealed class VoiceTextTests
{
    [Fact]
    public void Audio_shows_as_the_encrypted_voice_mark_which_clients_decrypt()
    {
        var latest = VoiceText.LatestData(new ChatMessage(7, 1, 0, MessageType.GroupAudio, [0, 0, 0, 3, 1, 2, 3]));
        Assert.Equal("[语音]", VoiceText.Decrypt(latest.Span));
        Assert.Equal(16, Convert.FromBase64String(latest.ToStringUtf8()).Length); // "[语音]" is 8 bytes: one block
    }

    [Theory]
    [InlineData("")]
    [InlineData("twelve bytes")]
    [InlineData("thirteen byte")]
    [InlineData("sixteen bytes!!!")]
    public void Padding_round_trips_at_every_remainder(string text)
    {
        var encrypted = VoiceText.Encrypt(text);
        Assert.Equal(text, VoiceText.Decrypt(encrypted));
        var blocks = Convert.FromBase64String(Encoding.ASCII.GetString(encrypted)).Length / 16;
        var bytes = Encoding.UTF8.GetByteCount(text);
        Assert.Equal((bytes / 16) + (bytes % 16 > 12 ? 2 : 1), blocks);
    }

    [Fact]
    public void Text_stays_as_stored()
    {
        var latest = VoiceText.LatestData(new ChatMessage(7, 1, 0, MessageType.SingleText, "abc"u8.ToArray()));
        Assert.Equal("abc", latest.ToStringUtf8());
    }
}
