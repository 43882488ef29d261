using System.Buffers;
using System.Text;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Http;
using TeamTalk.Orleans.Gateway.WebSockets;

namespace TeamTalk.Orleans.Gateway.Voice;

/// <summary>
/// <c>POST /api/voice/wav</c> on the gateway's HTTP port: the body is a voice clip as TeamTalk clients record it (an Ogg
/// Speex file, or a voice message's whole body: 4 bytes of duration, then the file); the answer is the decoded audio as
/// a 16-bit PCM mono WAV at the clip's rate. Refusals, each with a one-line text saying why: 400 a clip that is not
/// Ogg Speex, is cut off or corrupt; 413 a body over <see cref="VoiceOptions.MaxClipBytes"/> or audio over
/// <see cref="VoiceOptions.MaxSeconds"/>; 503 all <see cref="VoiceOptions.MaxConcurrentDecodes"/> decoders busy, or
/// libspeex missing on this host; 403 an origin the web client's endpoints do not allow (<see cref="WebOrigins"/>);
/// 404 another port. Refusals are logged at most every 10 s with the count not logged in between (the missing library
/// is logged once, at start). Nothing is stored: the clip is decoded and forgotten.
/// </summary>
internal sealed partial class VoiceEndpoint(
    SpeexLibrary speex,
    IOptions<VoiceOptions> options,
    IOptions<GatewayOptions> gateway,
    IOptions<WebSocketEndpointOptions> web,
    TimeProvider time,
    ILogger<VoiceEndpoint> logger) : IDisposable
{
    public const string Path = "/api/voice/wav";

    private const int ReadBytes = 16 * 1024;

    private readonly VoiceOptions settings = options.Value;
    private readonly SemaphoreSlim decoders = new(options.Value.MaxConcurrentDecodes, options.Value.MaxConcurrentDecodes);
    private readonly RejectLog refusals = new(TimeSpan.FromSeconds(10), time);

    /// <summary>The decoder slots (<see cref="VoiceOptions.MaxConcurrentDecodes"/>); tests hold them to see the busy answer.</summary>
    internal SemaphoreSlim Decoders => decoders;

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Connection.LocalPort != gateway.Value.HttpPort)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (!WebOrigins.Allowed(request, web.Value.AllowedOrigins))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"origin {origin} not allowed");
            return;
        }

        if (origin.Length > 0)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.Vary = "Origin";
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            context.Response.Headers.AccessControlAllowMethods = "POST";
            context.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            context.Response.Headers.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (!speex.Available)
        {
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, speex.Problem!);
            return;
        }

        if (request.ContentLength > settings.MaxClipBytes)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"a clip of {request.ContentLength} bytes (at most {settings.MaxClipBytes})");
            return;
        }

        byte[]? body;
        try
        {
            body = await ReadAsync(request.Body, settings.MaxClipBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            // A body that stalls (Kestrel's minimum data rate) or ends early: answered, logged with the other refusals.
            await RefuseAsync(context, ex.StatusCode, ex.Message);
            return;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client went away while sending: nobody to answer.
            return;
        }

        if (body is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"a clip over {settings.MaxClipBytes} bytes");
            return;
        }

        if (!decoders.Wait(0))
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, $"busy: {settings.MaxConcurrentDecodes} clips are being decoded; try again");
            return;
        }

        byte[] wav;
        try
        {
            wav = Decode(body);
        }
        catch (VoiceClipException ex)
        {
            await RefuseAsync(context, ex.TooLong ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, ex.Message);
            return;
        }
        finally
        {
            decoders.Release();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "audio/wav";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = wav.Length;
        await context.Response.Body.WriteAsync(wav, context.RequestAborted);
    }

    /// <summary>The WAV of an Ogg Speex file, or of a voice message's body (4 bytes of duration before the file).</summary>
    internal byte[] Decode(ReadOnlySpan<byte> clip)
    {
        if (!clip.StartsWith("OggS"u8) && clip.Length > 8 && clip[4..].StartsWith("OggS"u8))
        {
            clip = clip[4..];
        }

        var parsed = OggSpeex.Parse(clip);
        var samples = speex.Decode(parsed, settings.MaxSeconds * parsed.Header.Rate);
        return WavFile.Create(parsed.Header.Rate, samples);
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadAsync(Stream body, int limit, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ReadBytes), cancellation)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private async Task RefuseAsync(HttpContext context, int status, string reason)
    {
        if (refusals.TryLog(out var suppressed))
        {
            LogRefused(context.Connection.RemoteIpAddress?.ToString() ?? "?", status, reason, suppressed);
        }

        await AnswerAsync(context, status, reason);
    }

    private static async Task AnswerAsync(HttpContext context, int status, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public void Dispose() => decoders.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Voice decode request from {Remote} refused with {Status}: {Reason} ({Suppressed} more refusals not logged)")]
    private partial void LogRefused(string remote, int status, string reason, int suppressed);
}
