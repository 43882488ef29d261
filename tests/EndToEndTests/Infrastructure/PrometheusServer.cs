using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package; the test command exports its path as TT_PROMETHEUS) of a
/// test's own: loopback only, a temporary data directory, scraping the given targets every second.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process process;
    private readonly string directory;

    private PrometheusServer(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts Prometheus scraping <c>/metrics</c> of each target (job name, loopback port); waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, int> targets)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"tt-prom-{Guid.NewGuid():N}"[..20])).FullName;
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
        foreach (var (job, target) in targets)
        {
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    static_configs:\n      - targets: ['127.0.0.1:{target}']\n");
        }

        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var port = FreePorts.Next();
        var info = new ProcessStartInfo(Binary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--config.file={configPath}");
        info.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(directory, "data")}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        var logPath = Path.Combine(TestSettings.LogDirectory, $"prometheus-{Guid.NewGuid():N}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var started = new Process { StartInfo = info, EnableRaisingEvents = true };
        started.OutputDataReceived += (_, e) => Write(log, e.Data);
        started.ErrorDataReceived += (_, e) => Write(log, e.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        var server = new PrometheusServer(started, directory, port);
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(60), async () =>
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited ({started.ExitCode}); log: {logPath}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/-/ready"));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "Prometheus ready");
        return server;
    }

    /// <summary>
    /// Evaluates an instant PromQL query; returns the value of each series (by the value of <paramref name="label"/>),
    /// empty when no series matches.
    /// </summary>
    public async Task<Dictionary<string, double>> QueryAsync(string promQl, string label = "job")
    {
        var body = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(promQl)}"));
        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("data");
        var values = new Dictionary<string, double>();
        foreach (var series in data.GetProperty("result").EnumerateArray())
        {
            var key = series.GetProperty("metric").TryGetProperty(label, out var name) ? name.GetString() ?? string.Empty : string.Empty;
            values[key] = double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static string Binary()
    {
        if (Environment.GetEnvironmentVariable("TT_PROMETHEUS") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var dir in new[] { "/usr/bin", "/usr/local/bin", "/usr/sbin" })
        {
            var path = Path.Combine(dir, "prometheus");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("prometheus is not installed: run the tests through ./test.sh, which installs it and exports TT_PROMETHEUS.");
    }
}
