using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Gateway.Voice;

namespace TeamTalk.Orleans.UnitTests.Gateway.Voice;

public sealed class OggSpeexTests
{
    private static readonly byte[][] Audio = [[1, 2, 3], [.. Enumerable.Range(0, 300).Select(i => (byte)i)], [], [9]];

    private static byte[] File(byte[] header, int packetsPerPage = 50) => SpeexRecorder.OggFile(header, Audio, 320, packetsPerPage);

    [Fact]
    public void A_file_as_clients_write_it_gives_its_header_and_audio_packets()
    {
        var clip = OggSpeex.Parse(File(SpeexRecorder.SpeexHeader(8000, 0, 1, framesPerPacket: 2)));

        Assert.Equal(new SpeexHeader(8000, 0, 1, 2, 0), clip.Header);
        Assert.Equal(Audio, clip.AudioPackets);
    }

    [Fact]
    public void Packets_over_several_pages_and_extra_headers_are_read_in_order()
    {
        var clip = OggSpeex.Parse(File(SpeexRecorder.SpeexHeader(16000, 1, 1, framesPerPacket: 0, extraHeaders: 1), packetsPerPage: 1));

        // 0 frames per packet means 1; the first audio-looking packet is the extra header.
        Assert.Equal(new SpeexHeader(16000, 1, 1, 1, 1), clip.Header);
        Assert.Equal(Audio[1..], clip.AudioPackets);
    }

    [Fact]
    public void A_packet_continued_on_the_next_page_is_joined_and_other_streams_are_skipped()
    {
        var header = SpeexRecorder.SpeexHeader(8000, 0, 1, 1);
        var long1 = Enumerable.Range(0, 600).Select(i => (byte)(i * 7)).ToArray();
        var file = Concat(
            SpeexRecorder.Page(0x02, 0, 1, 0, [80], header),
            SpeexRecorder.Page(0x02, 0, 2, 0, [3], [7, 7, 7]), // another logical stream: ignored
            SpeexRecorder.Page(0, 0, 1, 1, [0], []), // the comment packet (empty)
            SpeexRecorder.Page(0, 160, 1, 2, [255, 255], long1.AsSpan(0, 510)), // ends inside the packet
            SpeexRecorder.Page(0x01, 320, 1, 3, [90, 2], [.. long1.AsSpan(510), 5, 6]));

        var clip = OggSpeex.Parse(file);

        Assert.Equal([long1, [5, 6]], clip.AudioPackets);
    }

    [Fact]
    public void Every_truncation_is_refused_or_gives_the_whole_pages_before_it()
    {
        var file = File(SpeexRecorder.SpeexHeader(8000, 0, 1, 1), packetsPerPage: 2);
        var whole = 0;
        for (var length = 0; length < file.Length; length++)
        {
            try
            {
                var clip = OggSpeex.Parse(file.AsSpan(0, length));
                Assert.Equal(Audio[..2], clip.AudioPackets); // only a cut at the end of the first audio page parses
                whole++;
            }
            catch (VoiceClipException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            }
        }

        Assert.Equal(1, whole);
    }

    [Fact]
    public void Garbage_is_refused_with_a_reason_and_nothing_else_is_thrown()
    {
        var random = new Random(15);
        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(0, 400)];
            random.NextBytes(garbage);
            if (i % 2 == 0 && garbage.Length >= 5)
            {
                "OggS"u8.CopyTo(garbage); // past the signature, into the page parsing
                garbage[4] = 0;
            }

            var ex = Assert.Throws<VoiceClipException>(() => OggSpeex.Parse(garbage));
            Assert.False(ex.TooLong);
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "not an Ogg file")]
    [InlineData(new byte[] { (byte)'O', (byte)'g', (byte)'g', (byte)'S', 1 }, "cut off")]
    public void A_file_that_is_not_Ogg_says_so(byte[] file, string reason) =>
        Assert.Contains(reason, Assert.Throws<VoiceClipException>(() => OggSpeex.Parse(file)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(8000, 3, 1, 1, "mode 3")]
    [InlineData(8000, 0, 2, 1, "2 channels")]
    [InlineData(100, 0, 1, 1, "rate 100")]
    [InlineData(8000, 0, 1, 11, "11 frames per packet")]
    [InlineData(8000, 0, 1, -1, "-1 frames per packet")]
    public void A_header_outside_what_is_decoded_is_refused(int rate, int mode, int channels, int frames, string reason) =>
        Assert.Contains(reason, Assert.Throws<VoiceClipException>(() => OggSpeex.Parse(File(SpeexRecorder.SpeexHeader(rate, mode, channels, frames)))).Message, StringComparison.Ordinal);

    [Fact]
    public void Another_codec_a_missing_header_continuation_or_no_audio_is_refused()
    {
        var vorbis = SpeexRecorder.OggFile([.. "\u0001vorbis"u8, .. new byte[30]], Audio, 160);
        Assert.Contains("not a Speex header", Assert.Throws<VoiceClipException>(() => OggSpeex.Parse(vorbis)).Message, StringComparison.Ordinal);

        var header = SpeexRecorder.SpeexHeader(8000, 0, 1, 1);
        var orphan = Concat(SpeexRecorder.Page(0x02, 0, 1, 0, [80], header), SpeexRecorder.Page(0x01, 0, 1, 1, [1], [0]));
        Assert.Contains("never started", Assert.Throws<VoiceClipException>(() => OggSpeex.Parse(orphan)).Message, StringComparison.Ordinal);

        var unfinished = Concat(SpeexRecorder.Page(0x02, 0, 1, 0, [255], new byte[255]), SpeexRecorder.Page(0, 0, 1, 1, [1], [0]));
        Assert.Contains("unfinished", Assert.Throws<VoiceClipException>(() => OggSpeex.Parse(unfinished)).Message, StringComparison.Ordinal);

        var silent = SpeexRecorder.OggFile(header, [], 160);
        Assert.Contains("no audio", Assert.Throws<VoiceClipException>(() => OggSpeex.Parse(silent)).Message, StringComparison.Ordinal);
    }

    private static byte[] Concat(params byte[][] pages) => [.. pages.SelectMany(p => p)];
}
