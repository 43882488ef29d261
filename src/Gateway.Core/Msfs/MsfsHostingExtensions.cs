using System.Net;

namespace TeamTalk.Orleans.Gateway.Msfs;

/// <summary>Composition of msfs in the gateway: its own listener (<see cref="GatewayOptions.MsfsPort"/>), serving msfs only.</summary>
public static class MsfsHostingExtensions
{
    /// <summary>Adds the msfs endpoint and its listener (the blob store is registered by the gateway).</summary>
    public static WebApplicationBuilder AddTeamTalkMsfs(this WebApplicationBuilder builder)
    {
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddSingleton<MsfsLog>();
        builder.Services.AddSingleton<MsfsEndpoint>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(gateway.ListenAddress), gateway.MsfsPort));
        return builder;
    }

    /// <summary>Every request on the msfs port goes to msfs and to nothing else; map before any other endpoint.</summary>
    public static WebApplication MapTeamTalkMsfs(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.MsfsPort;
        var msfs = app.Services.GetRequiredService<MsfsEndpoint>();
        app.MapWhen(context => context.Connection.LocalPort == port, branch => branch.Run(msfs.HandleAsync));
        return app;
    }
}
