using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TeamTalk.Orleans.LoadGen;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Report;
using TeamTalk.Orleans.LoadGen.Scenarios;
using TeamTalk.Orleans.LoadGen.Tools;
using TeamTalk.Orleans.LoadGen.Workers;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

using var logs = LoggerFactory.Create(b => b
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft", LogLevel.Warning)
    .AddFilter("System", LogLevel.Warning)
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine(Usage.Text);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var parsed = ParsedArgs.Parse(args);
    if (parsed.Command == "report")
    {
        return await RunReportAsync(parsed);
    }

    var common = CommonOptions.Parse(parsed);
    switch (parsed.Command)
    {
        case "seed":
            var count = parsed.Int("count", common.Seed > 0 ? common.Seed : 0, 1, 1_000_000);
            parsed.RejectUnknown();
            await Coordinator.SeedAsync(common, count, logs, cts.Token);
            return 0;
        case "ceiling":
            var ceiling = CeilingOptions.Parse(parsed);
            parsed.RejectUnknown();
            var report = await CeilingTool.RunAsync(common, ceiling, cts.Token);
            Coordinator.Print(report);
            if (common.JsonPath is { } path)
            {
                await ReportWriter.WriteJsonAsync(path, report, cts.Token);
            }

            return 0;
    }

    IScenario scenario = parsed.Command switch
    {
        "connect" => new ConnectScenario(ConnectOptions.Parse(parsed)),
        "chat" => new ChatScenario(ChatOptions.Parse(parsed)),
        "group" => new GroupScenario(GroupOptions.Parse(parsed)),
        "mixed" => new MixedScenario(MixedOptions.Parse(parsed)),
        "history" => new HistoryScenario(HistoryOptions.Parse(parsed)),
        _ => throw new UsageException($"unknown command '{parsed.Command}'"),
    };
    parsed.RejectUnknown();
    if (common.IsWorker)
    {
        return await WorkerHost.RunAsync(scenario.CreateWorker(common), cts.Token);
    }

    return await Coordinator.RunAsync(parsed, scenario, common, logs, cts.Token);
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"loadgen: {ex.Message}\n(loadgen --help lists the commands and options)");
    return 2;
}
catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or HttpRequestException)
{
    await Console.Error.WriteLineAsync($"loadgen: failed: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("loadgen: interrupted");
    return 130;
}

static async Task<int> RunReportAsync(ParsedArgs parsed)
{
    var inputs = parsed.Required("inputs", "comma-separated JSON files written with --json").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var output = parsed.Required("out", "path of the markdown file to write; a .json with every run is written beside it");
    var title = parsed.String("title", "TeamTalk.Orleans benchmark");
    var preamble = parsed.String("preamble-file") is { } file ? await File.ReadAllTextAsync(file) : null;
    parsed.RejectUnknown();
    var runs = new List<JsonObject>();
    foreach (var input in inputs)
    {
        runs.Add(JsonNode.Parse(await File.ReadAllTextAsync(input))?.AsObject() ?? throw new InvalidOperationException($"{input} holds no JSON object"));
    }

    await File.WriteAllTextAsync(output, ReportWriter.Markdown(title, runs, preamble));
    var all = new JsonObject
    {
        ["title"] = title,
        ["written"] = DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        ["machine"] = ReportWriter.Machine(),
        ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)r.DeepClone())]),
    };
    await File.WriteAllTextAsync(Path.ChangeExtension(output, ".json"), all.ToJsonString(ReportWriter.Json) + "\n");
    await Console.Error.WriteLineAsync($"wrote {output} and {Path.ChangeExtension(output, ".json")}");
    return 0;
}
