using Microsoft.AspNetCore.Connections;
using System.Net;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Gateway.Cluster;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Files;
using TeamTalk.Orleans.Gateway.Http;
using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.Gateway;

/// <summary>Composition of the gateway process.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>
    /// Adds the gateway: the Orleans client, the TeamTalk TCP listener (Kestrel connection handler), the HTTP
    /// listener, the command handlers, the observer and its announcer.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkGateway(this WebApplicationBuilder builder)
    {
        var (cluster, database) = builder.Configuration.ReadClusterSettings();
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        SettingsValidation.Validate(gateway, GatewayOptions.Section);

        var clusterHealth = new ClusterClientHealthCheck();
        builder.Services.AddHealthChecks().AddCheck("cluster-client", clusterHealth, tags: [ServiceDefaults.ReadyTag]);

        // The Orleans client first: hosted services stop in reverse order, so the announcer can still unregister.
        builder.UseOrleansClient(client =>
        {
            client.UseTeamTalkClustering(cluster, database);
            client.UseConnectionRetryFilter<RetryForeverFilter>();
            client.AddClusterConnectionStatusObserver(clusterHealth);

            // In-flight calls through a silo that dropped fail after a grace instead of at the response timeout.
            client.Services.AddSingleton(sp => new SiloLossWatch(
                gateway.SiloLossGrace, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SiloLossWatch>>()));
            client.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<SiloLossWatch>());
            client.Services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<SiloLossWatch>());
            if (TelemetryOptions.ExportsTraces(builder.Configuration))
            {
                client.AddActivityPropagation(); // grain calls join the gateway command's trace
            }
        });

        var services = builder.Services;
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new GatewayIdentity(sp.GetRequiredService<IOptions<GatewayOptions>>().Value));
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<MessageRate>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ConnectionLog>();
        services.AddSingleton<LiveGateways>();
        services.AddSingleton<GatewayObserver>();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<IDisconnectNotifier, UserGrainDisconnectNotifier>();
        services.AddSingleton<ConnectionServices>();
        services.AddSingleton<DiscoveryEndpoint>();
        services.AddSingleton<DiscoverItemsEndpoint>();
        services.AddTeamTalkBlobStore(builder.Configuration);
        services.AddSingleton<Commands.Message.VoiceStore>();
        // One class per command: every ICommandHandler of this assembly is registered (adding a command = adding a file).
        foreach (var handler in typeof(ICommandHandler).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICommandHandler).IsAssignableFrom(t)))
        {
            services.AddSingleton(typeof(ICommandHandler), handler);
        }

        services.AddHostedService<ConnectionSweeper>();
        services.AddSingleton<GatewayAnnouncer>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayAnnouncer>());
        services.AddHostedService<GatewayDrain>();

        var listen = IPAddress.Parse(gateway.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listen, gateway.HttpPort);
            kestrel.Listen(listen, gateway.TcpPort, endpoint => endpoint.UseConnectionHandler<TeamTalkConnectionHandler>());
        });
        builder.AddTeamTalkFileEndpoint(gateway);
        return builder;
    }

    /// <summary>Maps discovery (any method, any path starting with <c>/msg_server</c>) and the discover items (<c>GET /api/discovery</c>).</summary>
    public static WebApplication MapTeamTalkGatewayEndpoints(this WebApplication app)
    {
        var discovery = app.Services.GetRequiredService<DiscoveryEndpoint>();
        app.Use((context, next) => context.Request.Path.Value is { } path && path.StartsWith(DiscoveryEndpoint.PathPrefix, StringComparison.Ordinal)
            ? discovery.HandleAsync(context)
            : next(context));
        app.MapGet(DiscoverItemsEndpoint.Path, app.Services.GetRequiredService<DiscoverItemsEndpoint>().HandleAsync);
        app.MapGet("/health", () => Results.Ok("ok"));
        return app;
    }
}
