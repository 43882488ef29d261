using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Gateway.Cluster;
using TeamTalk.Orleans.Gateway.Commands;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Files;
using TeamTalk.Orleans.Gateway.Http;
using TeamTalk.Orleans.Gateway.AdminApi;
using TeamTalk.Orleans.Gateway.Msfs;
using TeamTalk.Orleans.Gateway.Voice;
using TeamTalk.Orleans.Gateway.WebClient;
using TeamTalk.Orleans.Gateway.WebSockets;
using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.Gateway;

/// <summary>Composition of the gateway process.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>
    /// Adds a gateway process: its Orleans client, then everything of <see cref="AddTeamTalkGatewayInSilo"/>'s gateway
    /// (the TeamTalk TCP listener, the HTTP listener, the command handlers, the observer and its announcer, msfs, the
    /// back-office API, WebSockets, voice and the web client) with the blob store.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var gateway = ReadOptions(builder);

        // The Orleans client first: hosted services stop in reverse order, so the announcer can still unregister.
        AddClusterClient(builder, gateway);
        builder.Services.AddTeamTalkBlobStore(builder.Configuration);
        return AddGatewayParts(builder, gateway, new GatewayHosting(InSilo: false));
    }

    /// <summary>
    /// Adds a gateway to a silo's process (call it after the silo is added: the silo's runtime is then the gateway's
    /// cluster client, and it stops after the gateway has drained): the same listeners, handlers and observer as a
    /// gateway process, without a client of its own. Grain calls and observer pushes between the two stay in the
    /// process (no socket, no serialization); the silo's blob store serves msfs. One process per node, for small
    /// deployments; docs/operations.md "One process per node".
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkGatewayInSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var gateway = ReadOptions(builder);

        // The stop's budget is shared by every service of the process: the gateway's drain (leaving the directory, then
        // its connections) comes first and must leave the silo the time to leave the cluster gracefully.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout += gateway.DrainTimeout + gateway.AnnounceTimeout + TimeSpan.FromSeconds(3));
        return AddGatewayParts(builder, gateway, new GatewayHosting(InSilo: true));
    }

    /// <summary>
    /// Maps what the gateway serves, in the order its middlewares need: the back-office API (its middleware keeps the
    /// back-office port to its own routes), msfs (its port serves nothing else), discovery and the discover items, the
    /// WebSocket endpoints, voice and the web client. Call it after the management endpoints.
    /// </summary>
    public static WebApplication MapTeamTalkGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapTeamTalkAdminApi();
        app.MapTeamTalkMsfs();
        app.MapTeamTalkGatewayEndpoints();
        app.MapTeamTalkWebSockets();
        app.MapTeamTalkVoice();
        app.MapTeamTalkWebClient();
        return app;
    }

    private static GatewayOptions ReadOptions(WebApplicationBuilder builder)
    {
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        SettingsValidation.Validate(gateway, GatewayOptions.Section);
        return gateway;
    }

    private static void AddClusterClient(WebApplicationBuilder builder, GatewayOptions gateway)
    {
        var (cluster, database) = builder.Configuration.ReadClusterSettings();
        var clusterHealth = new ClusterClientHealthCheck();
        builder.Services.AddHealthChecks().AddCheck("cluster-client", clusterHealth, tags: [ServiceDefaults.ReadyTag]);
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
    }

    /// <summary>The gateway's own services, listeners and features (whoever provides the cluster client).</summary>
    private static WebApplicationBuilder AddGatewayParts(WebApplicationBuilder builder, GatewayOptions gateway, GatewayHosting hosting)
    {
        var services = builder.Services;
        services.AddSingleton(hosting);
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
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

        services.Configure<SocketTransportOptions>(socket => FitReadBuffer(socket, gateway));
        var listen = IPAddress.Parse(gateway.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listen, gateway.HttpPort);
            kestrel.Listen(listen, gateway.TcpPort, endpoint => endpoint.UseConnectionHandler<TeamTalkConnectionHandler>());
        });
        builder.AddTeamTalkFileEndpoint(gateway);
        builder.AddTeamTalkMsfs();
        builder.AddTeamTalkAdminApi();
        builder.AddTeamTalkWebSockets();
        builder.AddTeamTalkVoice();
        builder.AddTeamTalkWebClient();
        return builder;
    }

    /// <summary>
    /// The socket transport stops reading a connection once this much is buffered and not consumed, and a connection
    /// consumes nothing of a frame until the whole frame is there: below <see cref="GatewayOptions.MaxPacketBytes"/> a
    /// frame the settings allow could never complete. The buffer holds the largest frame and one read more.
    /// </summary>
    internal static void FitReadBuffer(SocketTransportOptions socket, GatewayOptions gateway)
    {
        var needed = gateway.MaxPacketBytes + (64L * 1024);
        if (socket.MaxReadBufferSize is { } current && current < needed)
        {
            socket.MaxReadBufferSize = needed;
        }
    }

    /// <summary>Maps discovery (any method, any path starting with <c>/msg_server</c>) and the discover items (<c>GET /api/discovery</c>).</summary>
    private static WebApplication MapTeamTalkGatewayEndpoints(this WebApplication app)
    {
        var discovery = app.Services.GetRequiredService<DiscoveryEndpoint>();
        app.Use((context, next) => context.Request.Path.Value is { } path && path.StartsWith(DiscoveryEndpoint.PathPrefix, StringComparison.Ordinal)
            ? discovery.HandleAsync(context)
            : next(context));
        app.MapGet(DiscoverItemsEndpoint.Path, app.Services.GetRequiredService<DiscoverItemsEndpoint>().HandleAsync);
        if (!app.Services.GetRequiredService<GatewayHosting>().InSilo)
        {
            app.MapGet("/health", () => Results.Ok("ok")); // in a silo's process the silo maps it
        }

        return app;
    }
}

/// <summary>Where the gateway runs: its own process (with its own Orleans client) or a silo's.</summary>
/// <param name="InSilo">True in a silo's process.</param>
internal sealed record GatewayHosting(bool InSilo);
