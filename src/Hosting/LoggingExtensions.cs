using Microsoft.AspNetCore.Builder;
using Serilog;
using Serilog.Events;

namespace TeamTalk.Orleans.Hosting;

/// <summary>Serilog console logging for our processes.</summary>
public static class LoggingExtensions
{
    /// <summary>
    /// Logs through Serilog to the console. Levels come from <c>Serilog:MinimumLevel</c> in configuration; Orleans'
    /// chatty categories default to Warning.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkLogging(this WebApplicationBuilder builder, string processName)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .MinimumLevel.Override("MySqlConnector", LogEventLevel.Warning) // its Information lines carry a stack per failed connect
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Process", processName)
            .Filter.With(new RepeatedFaultFilter(TimeSpan.FromSeconds(5), TimeProvider.System, "Orleans.Grain", "Orleans.Runtime.Catalog"))
            .WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Process} {SourceContext}: {Message:lj}{Suppressed}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        return builder;
    }
}
