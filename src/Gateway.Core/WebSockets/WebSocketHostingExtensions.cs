using TeamTalk.Orleans.Gateway.Files;

namespace TeamTalk.Orleans.Gateway.WebSockets;

/// <summary>Composition of the WebSocket endpoints <c>/ws</c> and <c>/ws/file</c> on the gateway's HTTP port (after <c>AddTeamTalkGateway</c>).</summary>
public static class WebSocketHostingExtensions
{
    /// <summary>Adds the endpoint's validated settings (<see cref="WebSocketEndpointOptions"/>) and the endpoint.</summary>
    public static WebApplicationBuilder AddTeamTalkWebSockets(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddValidatedSettings<WebSocketEndpointOptions>(WebSocketEndpointOptions.Section);
        builder.Services.AddSingleton<WebSocketEndpoint>();
        builder.Services.AddSingleton<FileWebSocketEndpoint>();
        return builder;
    }

    /// <summary>Maps <c>/ws</c> and the file endpoint <c>/ws/file</c> (any method: HTTP/2 upgrades are CONNECT) unless disabled.</summary>
    public static WebApplication MapTeamTalkWebSockets(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebSocketEndpointOptions>>().Value;
        if (!settings.Enabled)
        {
            return app;
        }

        app.UseWebSockets();
        app.Map(WebSocketEndpoint.Path, app.Services.GetRequiredService<WebSocketEndpoint>().HandleAsync);
        app.Map(FileWebSocketEndpoint.Path, app.Services.GetRequiredService<FileWebSocketEndpoint>().HandleAsync);
        return app;
    }
}
