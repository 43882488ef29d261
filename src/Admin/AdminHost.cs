using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using TeamTalk.Orleans.Admin.Commands;

namespace TeamTalk.Orleans.Admin;

/// <summary>Parses the command line, finds the command, runs it with logging and Ctrl-C handling.</summary>
internal static class AdminHost
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var commands = DiscoverCommands();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(commands, Console.Out);
            return args.Length == 0 ? ExitUsage : ExitOk;
        }

        var command = commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.Ordinal));
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"error: unknown command '{args[0]}'");
            PrintUsage(commands, Console.Error);
            return ExitUsage;
        }

        CommandArgs parsed;
        try
        {
            parsed = CommandArgs.Parse(args.AsSpan(1));
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\nusage: {command.Usage}");
            return ExitUsage;
        }

        if (parsed.HasFlag("help") || parsed.HasFlag("h"))
        {
            Console.WriteLine($"usage: {command.Usage}\n\n{command.Summary}");
            return ExitOk;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        var verbose = parsed.HasFlag("verbose");
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
            await Console.Error.WriteLineAsync($"error: {ex.Message}\nusage: {command.Usage}");
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

    private static void PrintUsage(List<IAdminCommand> commands, TextWriter writer)
    {
        writer.WriteLine("TeamTalk.Orleans.Admin — operator tool");
        writer.WriteLine();
        writer.WriteLine("usage: TeamTalk.Orleans.Admin <command> [options]   (--help after a command for details)");
        writer.WriteLine();
        foreach (var command in commands)
        {
            writer.WriteLine($"  {command.Usage}");
            writer.WriteLine($"      {command.Summary}");
        }

        writer.WriteLine();
        writer.WriteLine("Common options: --verbose (debug logging). Exit codes: 0 ok, 1 failed, 2 usage error.");
    }
}
