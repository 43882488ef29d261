using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace TeamTalk.Orleans.Hosting;

/// <summary>Where a process serves <c>/metrics</c> and <c>/health/*</c>.</summary>
/// <param name="Address">Listen address (loopback by default).</param>
/// <param name="Port">Listen port.</param>
public sealed record ManagementEndpoint(IPAddress Address, int Port);

/// <summary>
/// The service defaults of both processes (as the ServiceDefaults project of .NET Aspire applications): Serilog logging
/// and a bounded graceful stop, OpenTelemetry metrics (ours, Orleans', ASP.NET Core's, runtime and process) served to
/// Prometheus, traces exported over OTLP when configured, and the health endpoints, all on a management listener of
/// their own (<see cref="TelemetryOptions"/>). Each process adds its own readiness checks with <see cref="ReadyTag"/>.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>Tag of the checks of <c>/health/live</c> (the process runs and serves HTTP).</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the checks of <c>/health/ready</c> (the process can do its work: cluster and database).</summary>
    public const string ReadyTag = "ready";

    public const string MetricsPath = "/metrics";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>
    /// Adds the service defaults. <paramref name="defaultManagementPort"/> is the management port when
    /// <c>TeamTalk:Telemetry:Port</c> is not set. Invalid telemetry settings stop the start.
    /// </summary>
    public static WebApplicationBuilder AddTeamTalkServiceDefaults(this WebApplicationBuilder builder, string processName, int defaultManagementPort)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddTeamTalkProcess(processName);

        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        SettingsValidation.Validate(options, TelemetryOptions.Section);
        if (!IPAddress.TryParse(options.ListenAddress, out var address))
        {
            throw new InvalidOperationException($"Invalid settings in {TelemetryOptions.Section}: ListenAddress {options.ListenAddress} is not an IP address");
        }

        var management = new ManagementEndpoint(address, options.Port ?? defaultManagementPort);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(management);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(management.Address, management.Port));
        builder.Services.AddHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy("running"), [LiveTag]);
        builder.AddTeamTalkOpenTelemetry(processName, options);
        return builder;
    }

    /// <summary>
    /// Maps <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c>, reachable on the management port only (404
    /// elsewhere), and keeps the management port to them (404 for anything else there). Call it before the process's
    /// other endpoints: its middleware must see requests first.
    /// </summary>
    public static WebApplication MapTeamTalkDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var management = app.Services.GetRequiredService<ManagementEndpoint>();
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        app.Use((context, next) =>
        {
            var onManagementPort = context.Connection.LocalPort == management.Port;
            if (onManagementPort != IsManagementPath(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        if (options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }

        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag) || check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthAsync,
        });
        return app;
    }

    /// <summary>True for the paths served on the management port only.</summary>
    public static bool IsManagementPath(PathString path) =>
        path.Equals(MetricsPath, StringComparison.Ordinal) || path.StartsWithSegments("/health", StringComparison.Ordinal) && path != "/health";

    private static void AddTeamTalkOpenTelemetry(this WebApplicationBuilder builder, string processName, TelemetryOptions options)
    {
        var otlp = options.TracesExported ? new Uri(options.OtlpEndpoint!) : null;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: $"teamtalk-{processName}", serviceNamespace: "TeamTalk.Orleans"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter("TeamTalk.*")
                    .AddMeter(TeamTalkTelemetry.OrleansMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(exporter => ConfigureOtlp(exporter, otlp, options.OtlpProtocol, "/v1/metrics"));
                }
            });

        // Without an exporter no tracer provider exists, nothing listens to the sources, and StartActivity costs nothing.
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(TeamTalkTelemetry.GatewaySource)
                .AddSource(TeamTalkTelemetry.OrleansSources)
                .AddAspNetCoreInstrumentation(asp => asp.Filter = context => !IsManagementPath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter => ConfigureOtlp(exporter, otlp, options.OtlpProtocol, "/v1/traces")));
        }
    }

    private static void ConfigureOtlp(OtlpExporterOptions exporter, Uri endpoint, string protocol, string signalPath)
    {
        if (protocol == "grpc")
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
        else
        {
            // Over HTTP the exporter posts to the endpoint as given: the signal's path is ours to add.
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + signalPath);
        }
    }

    /// <summary>{"status":"Healthy","checks":{"name":{"status":"Healthy","description":"…"}}}; 503 when not healthy.</summary>
    private static async Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description ?? entry.Exception?.Message ?? string.Empty);
            json.WriteNumber("ms", entry.Duration.TotalMilliseconds);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
