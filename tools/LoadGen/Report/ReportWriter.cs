using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeamTalk.Orleans.LoadGen.Scenarios;

namespace TeamTalk.Orleans.LoadGen.Report;

/// <summary>Writes reports as JSON (every figure) and renders a set of them as a markdown results page.</summary>
internal static class ReportWriter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static JsonObject Machine()
    {
        var cpuModel = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKiB = ReadFirst("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["cpu"] = cpuModel,
            ["memory_gib"] = memKiB is null ? null : Math.Round(long.Parse(memKiB, CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
        };
    }

    public static JsonObject ToJson(ScenarioReport report)
    {
        var node = JsonSerializer.SerializeToNode(new
        {
            report.Scenario,
            report.Label,
            report.Started,
            report.Supported,
            report.Parameters,
            report.Figures,
            Rows = report.Rows.Select(r => new { r.Name, r.Value }),
            report.Notes,
        }, Json)!.AsObject();
        node["machine"] = Machine();
        return node;
    }

    public static async Task WriteJsonAsync(string path, ScenarioReport report, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        await File.WriteAllTextAsync(path, ToJson(report).ToJsonString(Json) + "\n", ct);
    }

    /// <summary>
    /// A results page from scenario JSON files: machine, a headline table, then every scenario's table and notes.
    /// The headline reads chat figures against the ceiling run (fraction of what MariaDB accepts) when both are there.
    /// </summary>
    public static string Markdown(string title, IReadOnlyList<JsonObject> runs, string? preamble)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(title).Append("\n\n");
        var machine = runs.Select(r => r["machine"]).FirstOrDefault(m => m is not null) as JsonObject ?? Machine();
        md.Append(CultureInfo.InvariantCulture, $"Machine: {machine["cores"]} cores ({machine["cpu"]}), {machine["memory_gib"]} GiB, {machine["os"]}, {machine["dotnet"]}.\n\n");
        if (preamble is not null)
        {
            md.Append(preamble.Trim()).Append("\n\n");
        }

        var ceiling = runs.FirstOrDefault(r => (string?)r["scenario"] == "ceiling");
        var ceilingRate = ceiling?["figures"]?["rows_per_s"]?.GetValue<double>();
        md.Append("## Headline\n\n| run | figure | value |\n|---|---|---|\n");
        foreach (var run in runs)
        {
            var name = (string?)run["scenario"] + (run["label"] is { } l ? $" ({l})" : string.Empty);
            var f = run["figures"] as JsonObject;
            if (run["supported"]?.GetValue<bool>() == false)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {name} | status | **not supported by the server** (see below) |\n");
                continue;
            }

            switch ((string?)run["scenario"])
            {
                case "chat" when ((string?)run["parameters"]?["sends"])?.StartsWith("latest", StringComparison.Ordinal) == true:
                    // The probe (--probe): requests answered, no messages.
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | answered requests/s | {f?["acked_msgs_per_s"]?.GetValue<double>():#,0} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | request → answer p50 / p99 | {Ms(f?["ack_latency"], "p50_ms")} / {Ms(f?["ack_latency"], "p99_ms")} |\n");
                    if (f?["server_cpu_us_per_acked_msg"] is { } perRequest)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | server CPU per request | {perRequest.GetValue<double>():0} µs |\n");
                    }

                    if (f?["server_cpu_us_per_msg_by_process"] is JsonObject { Count: > 0 } requestByProcess)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | of which, per process | {string.Join(", ", requestByProcess.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value?.GetValue<double>():0} µs")))} |\n");
                    }

                    break;
                case "chat":
                    var acked = f?["acked_msgs_per_s"]?.GetValue<double>() ?? 0;
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | acked / delivered msgs/s | {acked:#,0} / {f?["delivered_msgs_per_s"]?.GetValue<double>():#,0} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | ack p50 / p99 | {Ms(f?["ack_latency"], "p50_ms")} / {Ms(f?["ack_latency"], "p99_ms")} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | delivery p50 / p99 | {Ms(f?["delivery_latency"], "p50_ms")} / {Ms(f?["delivery_latency"], "p99_ms")} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | loss (acked, not delivered) | {f?["lost_acked_not_delivered"]} |\n");
                    if (f?["server_cpu_us_per_delivered_msg"] is { } us)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | server CPU per delivered msg | {us.GetValue<double>():0} µs |\n");
                    }
                    else if (f?["server_cpu_us_per_acked_msg"] is { } perAcked)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | server CPU per acked msg | {perAcked.GetValue<double>():0} µs |\n");
                    }

                    if (f?["server_cpu_us_per_msg_by_process"] is JsonObject { Count: > 0 } byProcess)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | of which, per process | {string.Join(", ", byProcess.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value?.GetValue<double>():0} µs")))} |\n");
                    }

                    if (f?["pushes_per_s"] is { } pushes)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | pushes/s (fake provider, window) / pushes in the run | {pushes.GetValue<double>():#,0} / {f["pushes_total"]?.GetValue<long>():#,0} |\n");
                    }

                    if (ceilingRate is > 0)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | fraction of the MariaDB ceiling | {acked / ceilingRate.Value:0.0%} |\n");
                    }

                    break;
                case "group":
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | acked msgs/s / deliveries/s | {f?["acked_msgs_per_s"]?.GetValue<double>():#,0} / {f?["deliveries_per_s"]?.GetValue<double>():#,0} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | ack p50 / p99 | {Ms(f?["ack_latency"], "p50_ms")} / {Ms(f?["ack_latency"], "p99_ms")} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | fan-out p50 / p99 | {Ms(f?["fanout_latency"], "p50_ms")} / {Ms(f?["fanout_latency"], "p99_ms")} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | loss (acked, not delivered) | {f?["lost_acked_not_delivered"]} |\n");
                    if (f?["server_cpu_us_per_delivery"] is { } perDelivery)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | server CPU per delivery | {perDelivery.GetValue<double>():0} µs |\n");
                    }

                    break;
                case "connect":
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | connections held | {f?["connections_held"]} of {run["parameters"]?["connections"]} |\n");
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | logins/s | {f?["logins_per_s"]?.GetValue<double>():#,0} |\n");
                    // One process (the silo hosting the gateway): its figure is the connection's whole cost.
                    var (memoryRole, perConnection) = f?["gateway_kib_per_connection"] is { } gatewayKib
                        ? ("gateway", gatewayKib)
                        : ("silo (hosting the gateway)", f?["silo_kib_per_connection"]);
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | {memoryRole} KiB per idle connection | {perConnection?.GetValue<double>():0.0} |\n");
                    break;
                case "ceiling":
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | MariaDB rows/s (100-row durable transactions) | {ceilingRate:#,0} |\n");
                    break;
                default:
                    foreach (var row in (run["rows"] as JsonArray ?? []).Take(3))
                    {
                        md.Append(CultureInfo.InvariantCulture, $"| {name} | {row?["name"]} | {row?["value"]} |\n");
                    }

                    break;
            }
        }

        foreach (var run in runs)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {run["scenario"]}{(run["label"] is { } l ? $" ({l})" : string.Empty)}\n\n");
            if (run["parameters"] is JsonObject p && p.Count > 0)
            {
                md.Append("Parameters: ").Append(string.Join(", ", p.Select(kv => $"{kv.Key} = {kv.Value?.ToJsonString(Json)}"))).Append("\n\n");
            }

            md.Append("| figure | value |\n|---|---|\n");
            foreach (var row in run["rows"] as JsonArray ?? [])
            {
                md.Append(CultureInfo.InvariantCulture, $"| {row?["name"]} | {row?["value"]} |\n");
            }

            foreach (var note in run["notes"] as JsonArray ?? [])
            {
                md.Append(CultureInfo.InvariantCulture, $"\n- {note}");
            }

            md.Append('\n');
        }

        return md.ToString();
    }

    private static string Ms(JsonNode? latency, string key) =>
        latency?[key] is { } v ? ScenarioReport.Ms(v.GetValue<double>()) : "—";

    private static string? ReadFirst(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            return null;
        }

        return null;
    }
}
