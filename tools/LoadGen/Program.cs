using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
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

if (args.Length == 0 || args[0] is "help")
{
    CommandLineParser.WriteHelp(LoadGenCommandLine.Root, Console.Out);
    return args.Length == 0 ? CommandLineParser.ExitUsage : 0;
}

try
{
    var parsed = LoadGenCommandLine.Parse(args);
    if (CommandLineParser.WroteHelp(parsed))
    {
        return 0;
    }

    var command = parsed.CommandResult.Command.Name;
    if (command == "report")
    {
        return await RunReportAsync(ReportOptions.From(parsed));
    }

    var common = CommonOptions.From(parsed);
    switch (command)
    {
        case "seed":
            var count = parsed.GetValue(LoadGenCommandLine.SeedCount) is > 0 and var given ? given
                : common.Seed > 0 ? common.Seed
                : throw new UsageException("seed needs --count N (or --seed N)");
            await Coordinator.SeedAsync(common, count, logs, cts.Token);
            return 0;
        case "ceiling" or "msfs":
            var report = command == "msfs"
                ? await MsfsTool.RunAsync(common, MsfsOptions.From(parsed), cts.Token)
                : await CeilingTool.RunAsync(common, CeilingOptions.From(parsed), cts.Token);
            Coordinator.Print(report);
            if (common.JsonPath is { } path)
            {
                await ReportWriter.WriteJsonAsync(path, report, cts.Token);
            }

            return 0;
    }

    IScenario scenario = command switch
    {
        "connect" => new ConnectScenario(ConnectOptions.From(parsed)),
        "chat" => new ChatScenario(ChatOptions.From(parsed)),
        "group" => new GroupScenario(GroupOptions.From(parsed)),
        "mixed" => new MixedScenario(MixedOptions.From(parsed)),
        "history" => new HistoryScenario(HistoryOptions.From(parsed)),
        _ => throw new UsageException($"unknown command '{command}'"),
    };
    if (common.IsWorker)
    {
        return await WorkerHost.RunAsync(scenario.CreateWorker(common), cts.Token);
    }

    return await Coordinator.RunAsync(parsed, scenario, common, logs, cts.Token);
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"loadgen: {ex.Message}\n(loadgen --help lists the commands and options)");
    return CommandLineParser.ExitUsage;
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

static async Task<int> RunReportAsync(ReportOptions options)
{
    var (inputs, output, title) = (options.Inputs, options.Output, options.Title);
    var preamble = options.PreambleFile is { } file ? await File.ReadAllTextAsync(file) : null;
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
