using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Voice;
using TeamTalk.Orleans.Gateway.WebSockets;

namespace TeamTalk.Orleans.UnitTests.Gateway.Voice;

/// <summary>The decoder with Debian's libspeex (installed by test.sh) and the endpoint's answers, in process.</summary>
public sealed class VoiceEndpointTests
{
    private const int Port = 8080;

    private static readonly SpeexLibrary Speex = new(SpeexNative.Library);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_recorded_tone_decodes_to_frames_times_160_samples_that_carry_the_tone(int framesPerPacket)
    {
        Assert.True(Speex.Available, Speex.Problem);
        var tone = SpeexRecorder.Tone(440, 150 * SpeexRecorder.FrameSamples);
        var clip = OggSpeex.Parse(SpeexRecorder.Record(tone, framesPerPacket));

        var samples = Speex.Decode(clip, 60 * 8000);

        Assert.Equal(150 * 160, samples.Length);
        var steady = samples.AsSpan(1600); // past the codec's start-up
        Assert.InRange(SpeexRecorder.ZeroCrossingHertz(steady, 8000), 400, 480);
        Assert.InRange(SpeexRecorder.Rms(steady), 0.5 * SpeexRecorder.Rms(tone), 1.5 * SpeexRecorder.Rms(tone));
    }

    [Fact]
    public async Task A_clip_or_a_whole_voice_message_body_is_answered_as_a_WAV_at_the_clip_s_rate()
    {
        var clip = SpeexRecorder.Record(SpeexRecorder.Tone(440, 50 * SpeexRecorder.FrameSamples));
        var message = new byte[4 + clip.Length];
        BinaryPrimitives.WriteUInt32BigEndian(message, 1);
        clip.CopyTo(message, 4);

        foreach (var body in new[] { clip, message })
        {
            var context = await SendAsync(Endpoint(), body);

            Assert.Equal((200, "audio/wav"), (context.Response.StatusCode, context.Response.ContentType));
            var wav = Answer(context);
            Assert.Equal(WavFile.HeaderBytes + (50 * 160 * 2), wav.Length);
            Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        }
    }

    [Fact]
    public async Task Garbage_is_400_and_an_oversized_body_or_too_long_audio_is_413_each_with_its_reason()
    {
        var garbage = await SendAsync(Endpoint(), Encoding.ASCII.GetBytes("this is not a voice clip"));
        Assert.Equal(400, garbage.Response.StatusCode);
        Assert.Equal("not an Ogg file", Text(garbage));

        var big = new byte[2048];
        var declared = await SendAsync(Endpoint(new VoiceOptions { MaxClipBytes = 1024 }), big);
        Assert.Equal(413, declared.Response.StatusCode);
        var undeclared = await SendAsync(Endpoint(new VoiceOptions { MaxClipBytes = 1024 }), big, contentLength: false);
        Assert.Equal(413, undeclared.Response.StatusCode);

        var clip = SpeexRecorder.Record(SpeexRecorder.Tone(440, 60 * SpeexRecorder.FrameSamples));
        var tooLong = await SendAsync(Endpoint(new VoiceOptions { MaxSeconds = 1 }), clip);
        Assert.Equal(413, tooLong.Response.StatusCode);
        Assert.Contains("more than 1 s", Text(tooLong), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_stalls_is_answered_with_Kestrel_s_status_instead_of_failing_the_request()
    {
        using var endpoint = Endpoint();
        var context = new DefaultHttpContext();
        context.Connection.LocalPort = Port;
        context.Request.Method = "POST";
        context.Request.Host = new HostString($"127.0.0.1:{Port}");
        context.Request.Body = new StallingBody();
        context.Response.Body = new MemoryStream();

        await endpoint.HandleAsync(context);

        Assert.Equal(StatusCodes.Status408RequestTimeout, context.Response.StatusCode);
        Assert.Contains("too slowly", Text(context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_every_decoder_busy_a_clip_is_answered_503_busy_and_decoded_once_one_is_free()
    {
        using var endpoint = Endpoint(new VoiceOptions { MaxConcurrentDecodes = 2 });
        var clip = SpeexRecorder.Record(SpeexRecorder.Tone(440, 50 * SpeexRecorder.FrameSamples));
        Assert.True(endpoint.Decoders.Wait(0));
        Assert.True(endpoint.Decoders.Wait(0));

        var busy = await SendAsync(endpoint, clip, keep: true);
        Assert.Equal(503, busy.Response.StatusCode);
        Assert.StartsWith("busy: 2 clips are being decoded", Text(busy), StringComparison.Ordinal);

        endpoint.Decoders.Release();
        var decoded = await SendAsync(endpoint, clip, keep: true);
        Assert.Equal((200, "audio/wav"), (decoded.Response.StatusCode, decoded.Response.ContentType));
        Assert.Equal(1, endpoint.Decoders.CurrentCount); // the decode gave its slot back
    }

    [Fact]
    public async Task Without_libspeex_the_answer_is_503_saying_what_to_install()
    {
        var missing = new SpeexLibrary("libspeex-not-there.so.9");
        Assert.False(missing.Available);

        var context = await SendAsync(Endpoint(speex: missing), SpeexRecorder.Record(SpeexRecorder.Tone(440, 160)));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Contains("install libspeex1", Text(context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_origin_is_403_unless_configured_and_a_configured_one_gets_its_preflight()
    {
        var foreign = await SendAsync(Endpoint(), [1], origin: "http://elsewhere.example");
        Assert.Equal(403, foreign.Response.StatusCode);

        var own = await SendAsync(Endpoint(), [1], origin: $"http://127.0.0.1:{Port}");
        Assert.Equal(400, own.Response.StatusCode);

        var web = new WebSocketEndpointOptions();
        web.AllowedOrigins.Add("http://elsewhere.example");
        var preflight = await SendAsync(Endpoint(web: web), [], origin: "http://elsewhere.example", method: "OPTIONS");
        Assert.Equal(204, preflight.Response.StatusCode);
        Assert.Equal("http://elsewhere.example", preflight.Response.Headers.AccessControlAllowOrigin.ToString());
        Assert.Equal("POST", preflight.Response.Headers.AccessControlAllowMethods.ToString());
    }

    [Fact]
    public async Task Another_port_is_404()
    {
        var context = await SendAsync(Endpoint(), [1], port: Port + 1);
        Assert.Equal(404, context.Response.StatusCode);
    }

    private static VoiceEndpoint Endpoint(VoiceOptions? options = null, SpeexLibrary? speex = null, WebSocketEndpointOptions? web = null) => new(
        speex ?? Speex,
        Options.Create(options ?? new VoiceOptions()),
        Options.Create(new GatewayOptions { HttpPort = Port }),
        Options.Create(web ?? new WebSocketEndpointOptions()),
        TimeProvider.System,
        NullLogger<VoiceEndpoint>.Instance);

    /// <summary>One request; the endpoint is disposed afterwards unless <paramref name="keep"/> (the caller disposes it).</summary>
    private static async Task<HttpContext> SendAsync(VoiceEndpoint endpoint, byte[] body, string? origin = null, string method = "POST", int port = Port, bool contentLength = true, bool keep = false)
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalPort = port;
        context.Request.Method = method;
        context.Request.Host = new HostString($"127.0.0.1:{Port}");
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = contentLength ? body.Length : null;
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        context.Response.Body = new MemoryStream();
        await endpoint.HandleAsync(context);
        if (!keep)
        {
            endpoint.Dispose();
        }

        return context;
    }

    private static byte[] Answer(HttpContext context) => ((MemoryStream)context.Response.Body).ToArray();

    private static string Text(HttpContext context) => Encoding.UTF8.GetString(Answer(context));

    /// <summary>A request body whose data arrives too slowly: Kestrel's minimum data rate ends the read as it does.</summary>
    private sealed class StallingBody : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly. See MinRequestBodyDataRate.", StatusCodes.Status408RequestTimeout));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
