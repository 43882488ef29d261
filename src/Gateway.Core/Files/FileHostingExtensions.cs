using Microsoft.AspNetCore.Connections;
using System.Net;
using TeamTalk.Orleans.Blobs;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>Composition of the gateway's file-transfer endpoint.</summary>
internal static class FileHostingExtensions
{
    /// <summary>
    /// Adds the file endpoint on <see cref="GatewayOptions.FileTcpPort"/> (none when 0): its connections, the relay
    /// observer, the sweeper and the blob store (section <c>TeamTalk:Blobs</c>) offline files are written to.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkFileEndpoint(this WebApplicationBuilder builder, GatewayOptions gateway)
    {
        var services = builder.Services;
        services.AddTeamTalkBlobStore(builder.Configuration);
        services.AddSingleton<FileConnectionRegistry>();
        services.AddSingleton<FileRelayObserver>();
        services.AddSingleton<FileRelay>();
        services.AddSingleton<FileLog>();
        services.AddSingleton<FileServices>();
        services.AddHostedService<FileConnectionSweeper>();
        if (gateway.FileTcpPort != 0)
        {
            var listen = IPAddress.Parse(gateway.ListenAddress);
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.Listen(listen, gateway.FileTcpPort, endpoint => endpoint.UseConnectionHandler<FileConnectionHandler>()));
        }

        return builder;
    }
}
