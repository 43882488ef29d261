using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.LoadGen.Tools;

/// <summary>Options of <c>msfs</c>.</summary>
internal sealed record MsfsOptions
{
    public Uri Url { get; init; } = new("http://127.0.0.1:8700/");

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    public int Concurrency { get; init; } = 16;

    public int FileBytes { get; init; } = 100 * 1024;

    private static readonly Option<string> UrlOption = CliOptions.Text("--msfs", "http://127.0.0.1:8700/", "msfs base URL (loopback unless --allow-remote)");
    private static readonly Option<TimeSpan> DurationOption = CliOptions.Duration("--duration", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "the measured window");
    private static readonly Option<TimeSpan> WarmupOption = CliOptions.Duration("--warmup", TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(1), "uploading before the measured window");
    private static readonly Option<int> ConcurrencyOption = CliOptions.Count("--concurrency", 16, 1, 1024, "uploads in flight (closed loop)");
    private static readonly Option<int> FileBytesOption = CliOptions.Count("--file-bytes", 100 * 1024, 16, 10 * 1000 * 1000, "size of the PNG uploaded");

    /// <summary>The options of this command.</summary>
    public static IReadOnlyList<Option> All => [UrlOption, DurationOption, WarmupOption, ConcurrencyOption, FileBytesOption];

    public static MsfsOptions From(ParseResult args) => new()
    {
        Url = Uri.TryCreate(args.GetValue(UrlOption), UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp
            ? url
            : throw new UsageException("--msfs must be an absolute http:// URL"),
        Duration = args.GetValue(DurationOption),
        Warmup = args.GetValue(WarmupOption),
        Concurrency = args.GetValue(ConcurrencyOption),
        FileBytes = args.GetValue(FileBytesOption),
    };
}
