using TeamTalk.Orleans.Gateway.Voice;

namespace TeamTalk.Orleans.UnitTests.Gateway.Voice;

public sealed class WavFileTests
{
    [Fact]
    public void The_header_is_the_canonical_44_bytes_of_16_bit_PCM_mono_and_samples_follow_little_endian()
    {
        var wav = WavFile.Create(8000, [1, -2, 0x1234]);

        byte[] expected =
        [
            .. "RIFF"u8, 42, 0, 0, 0, .. "WAVE"u8,
            .. "fmt "u8, 16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0,
            .. "data"u8, 6, 0, 0, 0,
            1, 0, 0xfe, 0xff, 0x34, 0x12,
        ];
        Assert.Equal(expected, wav);
    }

    [Fact]
    public void No_samples_is_a_header_alone() =>
        Assert.Equal(WavFile.HeaderBytes, WavFile.Create(16000, []).Length);
}
