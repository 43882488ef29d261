using System.Diagnostics;
using System.Globalization;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// A MariaDB or Redis server of a test's own, which the test may stop and start again (same data, same port). Started
/// with the project's own scripts/lib/servers.sh, as the run and test commands do.
/// </summary>
internal sealed class PrivateServer : IAsyncDisposable
{
    private readonly string kind;
    private readonly string directory;
    private int pid;

    private PrivateServer(string kind, string directory, int port)
    {
        this.kind = kind;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>MariaDB: root connection string without a database. Redis: host:port.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public static async Task<PrivateServer> StartMariaDbAsync()
    {
        var server = new PrivateServer("mariadb", Path.Combine(Path.GetTempPath(), $"tt-e2e-{Guid.NewGuid():N}"[..20]), FreePorts.Next());
        await server.StartAsync();
        return server;
    }

    public static async Task<PrivateServer> StartRedisAsync()
    {
        var server = new PrivateServer("redis", Path.Combine(Path.GetTempPath(), $"tt-e2e-{Guid.NewGuid():N}"[..20]), FreePorts.Next());
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again, on the same data and port).</summary>
    public async Task StartAsync()
    {
        var script = kind == "mariadb"
            ? $"tt_mariadb_start '{directory}' {Port} >&2 && printf '%s\\n%s\\n' \"$TT_MARIADB_PID\" \"$TT_MARIADB_CS\""
            : $"tt_redis_start '{directory}' {Port} >&2 && printf '%s\\n%s\\n' \"$TT_REDIS_PID\" \"$TT_REDIS_ADDR\"";
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"set -e; source '{Path.Combine(TestSettings.RepositoryRoot, "scripts", "lib", "servers.sh")}'; {script}");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode != 0 || lines.Length < 2)
        {
            throw new InvalidOperationException($"starting {kind} failed ({process.ExitCode}): {await errors}");
        }

        pid = int.Parse(lines[0], CultureInfo.InvariantCulture);
        ConnectionString = lines[1];
    }

    /// <summary>Kills the server (SIGKILL, as in a crash) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (pid == 0)
        {
            return;
        }

        try
        {
            using var target = Process.GetProcessById(pid);
            target.Kill(entireProcessTree: false);
            await target.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        pid = 0;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
