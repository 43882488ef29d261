using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// The gateway's voice decoder (<c>POST /api/voice/wav</c> on the HTTP port, libspeex installed by the test command)
/// over real HTTP: a Speex clip recorded as native clients record it comes back as a WAV carrying the recorded tone;
/// an oversized body is 413, garbage 400; a gateway without libspeex says so once and answers 503.
/// </summary>
public sealed partial class WebClientMediaTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private Uri VoiceDecoder => new($"http://127.0.0.1:{fixture.Gateway.HttpPort}/api/voice/wav");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task The_voice_decoder_turns_a_recorded_Speex_clip_into_a_WAV_at_its_rate_carrying_the_tone(int framesPerPacket)
    {
        const int frames = 100; // 2 s
        var tone = SpeexRecorder.Tone(440, frames * SpeexRecorder.FrameSamples);

        var (status, type, wav) = await PostAsync(SpeexRecorder.Record(tone, framesPerPacket));

        Assert.Equal((HttpStatusCode.OK, "audio/wav"), (status, type));
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(SpeexRecorder.NarrowbandRate, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(frames * 160 * 2, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));
        Assert.Equal(44 + (frames * 160 * 2), wav.Length);
        var samples = new short[frames * 160];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + (i * 2)));
        }

        var steady = samples.AsSpan(1600); // past the codec's start-up
        Assert.InRange(SpeexRecorder.ZeroCrossingHertz(steady, SpeexRecorder.NarrowbandRate), 400, 480);
        Assert.InRange(SpeexRecorder.Rms(steady), 0.5 * SpeexRecorder.Rms(tone), 1.5 * SpeexRecorder.Rms(tone));
    }

    [Fact]
    public async Task The_voice_decoder_answers_an_oversized_clip_413_and_garbage_400_and_still_decodes_afterwards()
    {
        var (oversized, _, _) = await PostAsync(new byte[300 * 1024]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized);

        var (garbage, _, reason) = await PostAsync("OggS but then nothing an Ogg page has"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, garbage);
        Assert.Equal("the Ogg page at byte 0 has version 32", System.Text.Encoding.UTF8.GetString(reason));

        var (status, _, _) = await PostAsync(SpeexRecorder.Record(SpeexRecorder.Tone(440, 10 * SpeexRecorder.FrameSamples)));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Without_libspeex_a_gateway_says_so_once_at_start_and_the_voice_decoder_answers_503_with_the_reason()
    {
        var gateway = await fixture.Cluster.StartGatewayAsync(new Dictionary<string, string> { ["TeamTalk:Gateway:Voice:Library"] = "libspeex-not-installed.so.1" });
        var clip = SpeexRecorder.Record(SpeexRecorder.Tone(440, 10 * SpeexRecorder.FrameSamples));

        for (var i = 0; i < 3; i++)
        {
            var (status, _, reason) = await PostAsync(clip, gateway);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("libspeex-not-installed.so.1 could not be loaded: install libspeex1", System.Text.Encoding.UTF8.GetString(reason), StringComparison.Ordinal);
        }

        // The gateway runs on (it still serves discovery) and said it once, at start, not per request.
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/msg_server"))).StatusCode);
        Assert.Single(gateway.Process.Output, line => line.Contains("/api/voice/wav answers 503: libspeex-not-installed.so.1", StringComparison.Ordinal));
    }

    private async Task<(HttpStatusCode Status, string? ContentType, byte[] Body)> PostAsync(byte[] body, GatewayHandle? gateway = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/ogg");
        var url = gateway is null ? VoiceDecoder : new Uri($"http://127.0.0.1:{gateway.HttpPort}/api/voice/wav");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.ExpectContinue = true; // an oversized body is refused before it is sent
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }
}
