using System.Globalization;
using TeamTalk.Orleans.LoadGen.Metrics;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>A scenario's outcome: figures (for --json) and the table rows (for the console and markdown).</summary>
internal sealed class ScenarioReport
{
    public required string Scenario { get; init; }

    public string? Label { get; init; }

    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;

    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    public Dictionary<string, object?> Figures { get; init; } = [];

    public List<ReportRow> Rows { get; init; } = [];

    public List<string> Notes { get; init; } = [];

    /// <summary>False when the scenario could not be run as intended (e.g. the server does not serve a command).</summary>
    public bool Supported { get; set; } = true;

    public void Row(string name, string value) => Rows.Add(new ReportRow(name, value));

    public static string N(double value, string format = "#,0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "#,0.0", CultureInfo.InvariantCulture) + " ms";

    public void Latency(string name, LatencySummary s) =>
        Row(name, s.Count == 0 ? "—" : $"p50 {Ms(s.P50Ms)} · p90 {Ms(s.P90Ms)} · p99 {Ms(s.P99Ms)} · max {Ms(s.MaxMs)} (n={N(s.Count)})");
}
