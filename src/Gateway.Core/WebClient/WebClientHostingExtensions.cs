using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace TeamTalk.Orleans.Gateway.WebClient;

/// <summary>Composition of the web chat client's static files at <c>/</c> on the gateway's HTTP port (only there).</summary>
public static partial class WebClientHostingExtensions
{
    /// <summary>Adds the settings; a configured directory that does not exist stops the start.</summary>
    public static WebApplicationBuilder AddTeamTalkWebClient(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(WebClientOptions.Section);
        var settings = section.Get<WebClientOptions>() ?? new WebClientOptions();
        if (settings.Directory.Length > 0 && !System.IO.Directory.Exists(settings.Directory))
        {
            throw new InvalidOperationException($"Invalid settings in {WebClientOptions.Section}: Directory {settings.Directory} does not exist (build it: cd web && npm ci && npm run build)");
        }

        builder.Services.AddOptions<WebClientOptions>().Bind(section);
        return builder;
    }

    /// <summary>Serves the built client (<c>index.html</c> at <c>/</c>) on the HTTP port when a directory is configured.</summary>
    public static WebApplication MapTeamTalkWebClient(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var directory = app.Services.GetRequiredService<IOptions<WebClientOptions>>().Value.Directory;
        if (directory.Length == 0)
        {
            return app;
        }

        var httpPort = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.HttpPort;
        var files = new PhysicalFileProvider(Path.GetFullPath(directory));
        app.UseWhen(context => context.Connection.LocalPort == httpPort, web => web
            .UseDefaultFiles(new DefaultFilesOptions { FileProvider = files })
            .UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = response => response.Context.Response.Headers.CacheControl = "no-cache",
            }));
        LogServing(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebClientHostingExtensions)), Path.GetFullPath(directory), httpPort);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Web client from {Directory} on the HTTP port {Port} at /")]
    private static partial void LogServing(ILogger logger, string directory, int port);
}
