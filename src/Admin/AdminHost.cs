using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using TeamTalk.Orleans.Admin.Commands;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.Admin;

/// <summary>Parses the command line, finds the command, runs it with logging and Ctrl-C handling.</summary>
internal static class AdminHost
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = CommandLineParser.ExitUsage;

    public static async Task<int> RunAsync(string[] args)
    {
        var commands = DiscoverCommands();
        var root = BuildCommandLine(commands);
        if (args.Length == 0 || args[0] is "help")
        {
            CommandLineParser.WriteHelp(root, Console.Out);
            return args.Length == 0 ? ExitUsage : ExitOk;
        }

        ParseResult parsed;
        try
        {
            parsed = CommandLineParser.Parse(root, args);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\n{HelpHint(args[0], commands)}");
            return ExitUsage;
        }

        if (CommandLineParser.WroteHelp(parsed))
        {
            return ExitOk;
        }

        var command = commands.Single(c => c.Name == parsed.CommandResult.Command.Name);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        var verbose = parsed.GetValue(AdminOptions.Verbose);
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

        var context = new AdminContext(loggerFactory, Console.Out, Console.Error);
        try
        {
            return await command.RunAsync(parsed, context, cts.Token);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\n{HelpHint(command.Name, commands)}");
            return ExitUsage;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return ExitFailed;
        }
    }

    private static List<IAdminCommand> DiscoverCommands() =>
        Assembly.GetExecutingAssembly().GetTypes()
            .Where(t => typeof(IAdminCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IAdminCommand)Activator.CreateInstance(t)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

    private static RootCommand BuildCommandLine(List<IAdminCommand> commands)
    {
        var root = new RootCommand("TeamTalk.Orleans.Admin — operator tool. Exit codes: 0 ok, 1 failed, 2 usage error.") { AdminOptions.Verbose };
        foreach (var command in commands)
        {
            var line = new Command(command.Name, command.Summary);
            foreach (var option in command.Options)
            {
                line.Add(option);
            }

            root.Add(line);
        }

        return root;
    }

    private static string HelpHint(string word, List<IAdminCommand> commands) =>
        commands.Any(c => c.Name == word)
            ? $"(TeamTalk.Orleans.Admin {word} --help lists its options)"
            : $"(commands: {string.Join(", ", commands.Select(c => c.Name))}; --help for details)";
}
