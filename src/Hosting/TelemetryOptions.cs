using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace TeamTalk.Orleans.Hosting;

/// <summary>
/// Metrics, traces and health of a process (section <c>TeamTalk:Telemetry</c>): the management listener that serves
/// <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c>, and the optional OTLP export.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "TeamTalk:Telemetry";

    /// <summary>
    /// Address of the management listener. Loopback by default: metrics and health are for the operator's Prometheus
    /// and orchestrator, not for clients (set a private interface address to scrape from another host).
    /// </summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of the management listener; null takes the process's default (silo 8091, gateway 8401).</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>Serve <c>/metrics</c> in the Prometheus text format (on by default).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// OTLP collector endpoint (e.g. <c>http://127.0.0.1:4317</c>). Empty (the default): traces are not collected at
    /// all and metrics are only served to Prometheus. Set: traces (gateway commands, Orleans calls) and metrics are
    /// exported there too.
    /// </summary>
    [Url]
    public string? OtlpEndpoint { get; set; }

    /// <summary>Whether traces are collected and exported: an <see cref="OtlpEndpoint"/> is set.</summary>
    public bool TracesExported => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    /// <summary>
    /// Whether <paramref name="configuration"/> exports traces (<see cref="TracesExported"/>). Only then do grain calls
    /// carry trace context (Orleans' activity propagation): its call filters cost every grain call an invoker, a state
    /// machine and a thread-pool item, about a fifth of the silo's work per group delivery, for traces nobody collects
    /// otherwise.
    /// </summary>
    public static bool ExportsTraces(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TelemetryOptions>()?.TracesExported == true;

    /// <summary>OTLP transport: <c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    [RegularExpression("^(grpc|http/protobuf)$")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Fraction of traces kept when exporting (parent-based: a kept gateway command keeps its grain calls).</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>How long the database check of <c>/health/ready</c> may take before it reports unhealthy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
