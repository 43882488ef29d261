using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// One of our built executables (silo or gateway) run as a real process with command-line configuration. Output goes
/// to a log file and is kept in memory so tests can assert on it.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly StreamWriter log;

    private ServerProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        this.process = process;
        this.log = log;
    }

    public string Name { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The exit code (only once <see cref="HasExited"/>).</summary>
    public int ExitCode => process.ExitCode;

    public IEnumerable<string> Output => lines;

    public string LogPath { get; private set; } = string.Empty;

    public static ServerProcess Start(string name, string dll, IReadOnlyDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestSettings.RepositoryRoot,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var logPath = Path.Combine(TestSettings.LogDirectory, $"{name}-{Guid.NewGuid():N}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process, log) { LogPath = logPath };
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Lines logged at error or fatal level (text or JSON logs), or reporting an unhandled exception.</summary>
    public IReadOnlyList<string> Errors() => [.. lines.Where(l => ErrorLine().IsMatch(l))];

    /// <summary>SIGKILL: the process dies at once, as in a machine failure.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>SIGTERM, then waits for a graceful exit (killing after <paramref name="timeout"/>).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync();
        process.Dispose();
        await log.DisposeAsync();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    [GeneratedRegex(@"\] (ERR|FTL) |""@l"":""(Error|Fatal)""|Unhandled exception", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorLine();
}
