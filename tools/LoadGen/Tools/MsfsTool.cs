using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Scenarios;

namespace TeamTalk.Orleans.LoadGen.Tools;

/// <summary>
/// <c>msfs</c>: uploads/s of one image size. C uploads in flight (closed loop), each a new connection (msfs closes after
/// every answer, as the original) carrying a multipart PNG of --file-bytes; an upload counts when it is answered
/// <c>error_code</c> 0 (stored and recorded). Every 50th stored file is downloaded and compared.
/// </summary>
internal static class MsfsTool
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static async Task<ScenarioReport> RunAsync(CommonOptions common, MsfsOptions options, CancellationToken ct)
    {
        if (!common.AllowRemote && !(IPAddress.TryParse(options.Url.Host, out var host) && IPAddress.IsLoopback(host)) && options.Url.Host != "localhost")
        {
            throw new UsageException($"--msfs: {options.Url.Host} is not a loopback address (pass --allow-remote for your own deployment)");
        }

        var png = RandomNumberGenerator.GetBytes(options.FileBytes);
        PngSignature.CopyTo(png, 0);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var latency = new LatencyHistogram();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + Sessions.Ticks(options.Warmup);
        var end = measureFrom + Sessions.Ticks(options.Duration);
        long stored = 0, failed = 0, verified = 0, mismatched = 0;

        async Task LoopAsync()
        {
            while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < end)
            {
                var began = Stopwatch.GetTimestamp();
                var url = await UploadAsync(http, options.Url, png, ct);
                var measured = began >= measureFrom;
                if (url is null)
                {
                    Interlocked.Increment(ref failed);
                    continue;
                }

                if (measured)
                {
                    var count = Interlocked.Increment(ref stored);
                    latency.Record(Sessions.Micros(Stopwatch.GetTimestamp() - began));

                    if (count % 50 == 0)
                    {
                        var same = (await http.GetByteArrayAsync(new Uri(url), ct)).AsSpan().SequenceEqual(png);
                        Interlocked.Increment(ref same ? ref verified : ref mismatched);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(LoopAsync, ct)));
        var seconds = Math.Max(Stopwatch.GetElapsedTime(measureFrom).TotalSeconds, 1e-9);
        var rate = stored / seconds;
        var summary = latency.Summarize();
        var report = new ScenarioReport
        {
            Scenario = "msfs",
            Label = common.Label,
            Parameters = new Dictionary<string, object?>
            {
                ["file_bytes"] = options.FileBytes,
                ["concurrency"] = options.Concurrency,
                ["duration_s"] = options.Duration.TotalSeconds,
            },
        };
        report.Figures["uploads_per_s"] = rate;
        report.Figures["upload_latency"] = summary;
        report.Figures["failed"] = failed;
        report.Figures["verified"] = verified;
        report.Figures["mismatched"] = mismatched;
        report.Row("uploads/s", ScenarioReport.N(rate, "#,0.0"));
        report.Row("MB/s", ScenarioReport.N(rate * options.FileBytes / 1e6, "#,0.0"));
        report.Latency("upload (connect, send, store, answer)", summary);
        report.Row("failed uploads", ScenarioReport.N(failed));
        report.Row("downloads verified / mismatched", $"{verified} / {mismatched}");
        return report;
    }

    /// <summary>One upload; the URL answered, or null when it was not stored.</summary>
    private static async Task<string?> UploadAsync(HttpClient http, Uri msfs, byte[] png, CancellationToken ct)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "file", "loadgen_64x64.png");
        try
        {
            using var response = await http.PostAsync(msfs, content, ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            return json.RootElement.GetProperty("error_code").GetInt32() == 0 ? json.RootElement.GetProperty("url").GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or TaskCanceledException)
        {
            return null;
        }
    }
}
