using Microsoft.Extensions.Options;

namespace TeamTalk.Orleans.Gateway.Voice;

/// <summary>Composition of the voice decoder <c>POST /api/voice/wav</c> on the gateway's HTTP port (after <c>AddTeamTalkWebSockets</c>).</summary>
public static partial class VoiceHostingExtensions
{
    /// <summary>Adds the validated settings (<see cref="VoiceOptions"/>), libspeex and the endpoint.</summary>
    public static WebApplicationBuilder AddTeamTalkVoice(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddValidatedSettings<VoiceOptions>(VoiceOptions.Section);
        builder.Services.AddSingleton(sp => new SpeexLibrary(sp.GetRequiredService<IOptions<VoiceOptions>>().Value.Library));
        builder.Services.AddSingleton<VoiceEndpoint>();
        return builder;
    }

    /// <summary>Maps the endpoint (POST, and OPTIONS for other allowed origins' preflight) unless disabled; logs once whether libspeex is there.</summary>
    public static WebApplication MapTeamTalkVoice(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<VoiceOptions>>().Value.Enabled)
        {
            return app;
        }

        var speex = app.Services.GetRequiredService<SpeexLibrary>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(VoiceHostingExtensions));
        if (speex.Available)
        {
            LogReady(logger, speex.Name, VoiceEndpoint.Path);
        }
        else
        {
            LogMissing(logger, VoiceEndpoint.Path, speex.Problem!);
        }

        app.MapMethods(VoiceEndpoint.Path, [HttpMethods.Post, HttpMethods.Options], app.Services.GetRequiredService<VoiceEndpoint>().HandleAsync);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Voice clips decoded with {Library} at POST {Path}")]
    private static partial void LogReady(ILogger logger, string library, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST {Path} answers 503: {Problem}; the web client offers Speex voice messages as downloads only")]
    private static partial void LogMissing(ILogger logger, string path, string problem);
}
