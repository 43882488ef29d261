using System.Net;
using MySqlConnector;
using Orleans.Configuration;
using Orleans.Dashboard;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Files;
using TeamTalk.Orleans.Hosting;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Silo;

/// <summary>Composition of the silo process.</summary>
public static partial class SiloHostingExtensions
{
    /// <summary>
    /// Adds the silo: schema migration, MariaDB access, Orleans with our grains, the dashboard; and a gateway in the
    /// same process when <see cref="SiloSettings.HostGateway"/> is set.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkSilo(this WebApplicationBuilder builder)
    {
        var (cluster, database) = builder.Configuration.ReadClusterSettings();
        var silo = builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
        builder.Services.AddSingleton(silo);
        var dashboard = builder.Configuration.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new DashboardSettings();
        SettingsValidation.Validate(dashboard, DashboardSettings.Section);

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(dashboard.Address), dashboard.Port));
        builder.Services.AddSingleton(dashboard);
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterMembershipHealthCheck>("cluster-membership", tags: [ServiceDefaults.ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaults.ReadyTag]);

        var services = builder.Services;
        services.AddSingleton(database);
        services.AddSingleton<SchemaMigrator>();
        services.AddHostedService<SchemaMigrationService>();
        // The original schema declares TINYINT(1) columns that hold more than 0/1 (IMUser.sex is 2 for women):
        // they must be read as numbers, whatever the operator's connection string says.
        // No reset round trip each time a pooled connection is taken: our statements leave no session state behind
        // (every transaction is ended; the committer clears the pool if it cannot end one), and Database pings
        // connections taken after a quiet spell, so a restarted server costs no failed operation.
        services.AddMySqlDataSource(new MySqlConnectionStringBuilder(database.ConnectionString)
        {
            TreatTinyAsBoolean = false,
            ConnectionReset = false,
        }.ConnectionString);
        services.AddTeamTalkGrains(builder.Configuration);
        services.AddHostedService<StoredFileSweeper>();
        services.AddTeamTalkBlobStore(builder.Configuration);

        builder.UseOrleans(orleans =>
        {
            orleans.UseTeamTalkClustering(cluster, database);
            orleans.AddAdoNetGrainStorage(StorageNames.Default, o =>
            {
                o.Invariant = DatabaseSettings.AdoNetInvariant;
                o.ConnectionString = database.ConnectionString;
            });
            orleans.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
            if (dashboard.Enabled)
            {
                orleans.AddDashboard(o =>
                {
                    o.HideTrace = true;
                    o.CounterUpdateIntervalMs = (int)dashboard.CounterUpdateInterval.TotalMilliseconds;
                });
            }

            if (TelemetryOptions.ExportsTraces(builder.Configuration))
            {
                orleans.AddActivityPropagation(); // a grain call joins its caller's trace
            }
        });

        // After the silo: its runtime is the gateway's cluster client, and hosted services stop in reverse order, so the
        // gateway drains its connections and unregisters before the silo stops.
        if (silo.HostGateway)
        {
            builder.AddTeamTalkGatewayInSilo();
        }

        return builder;
    }

    /// <summary>
    /// Maps a health endpoint, the gateway's endpoints when the silo hosts one, and, when enabled, the dashboard (on its
    /// own port only, behind basic authentication when a password is configured).
    /// </summary>
    public static WebApplication MapTeamTalkSiloEndpoints(this WebApplication app)
    {
        const string DashboardPath = "/dashboard";
        var dashboard = app.Services.GetRequiredService<DashboardSettings>();
        var hostsGateway = app.Services.GetRequiredService<SiloSettings>().HostGateway;
        app.MapGet("/health", () => Results.Ok("ok"));
        if (dashboard.Enabled)
        {
            // Only on its own listener: never on a hosted gateway's ports, which face the clients.
            var address = IPAddress.Parse(dashboard.Address);
            var gatewayPorts = hostsGateway ? GatewayPorts(app) : [];
            app.Use((context, next) => context.Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase)
                && !OnDashboardListener(context.Connection, address, dashboard.Port, gatewayPorts)
                ? Results.NotFound().ExecuteAsync(context)
                : next(context));
        }

        if (hostsGateway)
        {
            app.MapTeamTalkGateway();
        }

        if (!dashboard.Enabled)
        {
            return app;
        }

        if (dashboard.Password is { } password)
        {
            var authentication = new DashboardAuthentication(DashboardPath, dashboard.UserName, password, app.Services.GetRequiredService<ILogger<DashboardAuthentication>>());
            app.Use(authentication.InvokeAsync);
        }
        else if (!IPAddress.IsLoopback(IPAddress.Parse(dashboard.Address)))
        {
            LogOpenDashboard(app.Services.GetRequiredService<ILogger<DashboardSettings>>(), dashboard.Address);
        }

        app.MapOrleansDashboard(DashboardPath);
        return app;
    }

    /// <summary>
    /// Whether a request came in on the dashboard's listener: its address (unless it listens on every address) and its
    /// port, or, with port 0 (any free port), on any port that is not one of a hosted gateway's.
    /// </summary>
    internal static bool OnDashboardListener(ConnectionInfo connection, IPAddress address, int port, IReadOnlySet<int> gatewayPorts)
    {
        if (port == 0)
        {
            return !gatewayPorts.Contains(connection.LocalPort);
        }

        var local = connection.LocalIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : connection.LocalIpAddress;
        return connection.LocalPort == port
            && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(local));
    }

    /// <summary>The HTTP ports of the gateway this silo hosts.</summary>
    private static HashSet<int> GatewayPorts(WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TeamTalk.Orleans.Gateway.GatewayOptions>>().Value;
        var admin = app.Services.GetRequiredService<TeamTalk.Orleans.Gateway.AdminApi.AdminApiOptions>();
        return [gateway.HttpPort, gateway.MsfsPort, admin.AdminHttpPort];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Orleans Dashboard listens on {Address}, not loopback, without a password: set TeamTalk:Dashboard:Password")]
    private static partial void LogOpenDashboard(ILogger logger, string address);
}
