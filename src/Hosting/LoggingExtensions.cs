using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace TeamTalk.Orleans.Hosting;

/// <summary>Serilog console logging for our processes.</summary>
public static class LoggingExtensions
{
    /// <summary>
    /// Logs through Serilog to the console. Levels come from <c>Serilog:MinimumLevel</c> in configuration; Orleans'
    /// chatty categories default to Warning. With <c>TeamTalk:Logging:Json</c> true, each event is one line of JSON
    /// (Serilog's rendered compact format: <c>@t</c> time, <c>@m</c> message, <c>@i</c> template id, <c>@l</c> level
    /// when not Information, <c>@x</c> exception, <c>@tr</c>/<c>@sp</c> trace and span, and every property), for a log
    /// shipper; otherwise human-readable text.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkLogging(this WebApplicationBuilder builder, string processName)
    {
        var json = builder.Configuration.GetValue<bool>(JsonSetting);
        builder.Services.AddSerilog((services, logger) => WriteToConsole(logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .MinimumLevel.Override("MySqlConnector", LogEventLevel.Warning) // its Information lines carry a stack per failed connect
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // IHttpClientFactory logs four lines per request (push providers: one per push, with the device token in the URL).
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Process", processName)
            .Filter.With(new RepeatedFaultFilter(TimeSpan.FromSeconds(5), TimeProvider.System, "Orleans.Grain", "Orleans.Runtime.Catalog")), json));
        return builder;
    }

    /// <summary>The switch of the JSON console format.</summary>
    public const string JsonSetting = "TeamTalk:Logging:Json";

    private static LoggerConfiguration WriteToConsole(LoggerConfiguration logger, bool json) => json
        ? logger.WriteTo.Console(new RenderedCompactJsonFormatter())
        : logger.WriteTo.Console(
            outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Process} {SourceContext}: {Message:lj}{Suppressed}{NewLine}{Exception}",
            formatProvider: System.Globalization.CultureInfo.InvariantCulture);
}
