using System.Net;
using Microsoft.OpenApi;
using TeamTalk.Orleans.Gateway.AdminConsole;
using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>Composition of the back-office HTTP API: its listener, keys, JSON, OpenAPI document and routes.</summary>
public static partial class AdminApiHostingExtensions
{
    /// <summary>The OpenAPI document's path.</summary>
    public const string OpenApiPath = "/api/v1/openapi.json";

    /// <summary>
    /// Adds the back-office API: validates its settings (port, listen address, keys; a bad one stops the start), and
    /// when a key is configured opens its own listener on <see cref="AdminApiOptions.AdminListenAddress"/>:<see cref="AdminApiOptions.AdminHttpPort"/>.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkAdminApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new AdminApiOptions();
        builder.Configuration.GetSection(AdminApiOptions.Section).Bind(options);
        SettingsValidation.Validate(options, AdminApiOptions.Section);
        if (!IPAddress.TryParse(options.AdminListenAddress, out var listen))
        {
            throw new InvalidOperationException($"Invalid settings in {AdminApiOptions.Section}: AdminListenAddress {options.AdminListenAddress} is not an IP address");
        }

        var keys = AdminApiKeyRing.Load(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(keys);
        if (!keys.Enabled)
        {
            return builder;
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(listen, options.AdminHttpPort));
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminApiJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, LegacyJsonContext.Default);
        });
        builder.Services.AddTeamTalkAdminConsole(options);
        builder.Services.AddOpenApi("v1", openApi =>
        {
            openApi.ShouldInclude = description => description.ActionDescriptor.EndpointMetadata.OfType<AdminApiEndpoint>().Any();
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "TeamTalk.Orleans back-office API",
                    Version = "v1",
                    Description = "Every request needs Authorization: Bearer <key> (the /query requests may carry the key as app_key instead).",
                };
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// Maps the back-office routes and the middleware that keeps them on their own port and checks the key. Call it
    /// before the gateway's other endpoints (its middleware must see requests first). Does nothing when no key is configured.
    /// </summary>
    public static WebApplication MapTeamTalkAdminApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keys = app.Services.GetRequiredService<AdminApiKeyRing>();
        var options = app.Services.GetRequiredService<AdminApiOptions>();
        var logger = app.Services.GetRequiredService<ILogger<AdminApiGate>>();
        if (!keys.Enabled)
        {
            LogDisabled(logger);
            return app;
        }

        var gate = new AdminApiGate(keys, options.AdminHttpPort, app.Services.GetRequiredService<TimeProvider>(), logger);
        app.Use(gate.InvokeAsync);
        var api = app.MapGroup("/api/v1").WithMetadata(AdminApiEndpoint.Bearer);
        AdminUserEndpoints.Map(api);
        AdminDepartmentEndpoints.Map(api);
        AdminGroupEndpoints.Map(api);
        AdminDiscoveryEndpoints.Map(api);
        LegacyQueryEndpoints.Map(app);
        app.MapOpenApi(OpenApiPath).WithMetadata(AdminApiEndpoint.Bearer);
        app.MapTeamTalkAdminConsole();
        LogListening(logger, options.AdminListenAddress, options.AdminHttpPort);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-office API off: no key configured (TeamTalk:Gateway:AdminApiKeys or AdminApiKeyFile)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-office API on http://{Address}:{Port}/api/v1/")]
    private static partial void LogListening(ILogger logger, string address, int port);
}
