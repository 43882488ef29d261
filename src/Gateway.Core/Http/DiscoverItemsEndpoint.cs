using System.Globalization;
using System.Text.Json;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Http;

/// <summary>
/// <c>GET /api/discovery</c>: the discover items clients show in their discover tab (the URL discovery hands out as
/// <c>discovery</c>). The original's PHP answer: a JSON array of the <c>IMDiscovery</c> rows with status 0, each row
/// without <c>id</c>, <c>status</c>, <c>created</c> and <c>updated</c>, so <c>itemName</c>, <c>itemUrl</c>,
/// <c>itemPriority</c> in column order; its MySQL driver gave every column as a string, so <c>itemPriority</c> is a
/// string ("3"), which the clients read as a number. When the items cannot be read (the cluster or the database unreachable) the answer is 503, logged at most every 10 s.
/// </summary>
internal sealed partial class DiscoverItemsEndpoint(IGrainFactory grains, TimeProvider time, ILogger<DiscoverItemsEndpoint> logger)
{
    public const string Path = "/api/discovery";

    private readonly RejectLog failures = new(TimeSpan.FromSeconds(10), time);

    public async Task HandleAsync(HttpContext context)
    {
        DiscoverItem[] items;
        try
        {
            items = await grains.GetGrain<IDiscoveryGrain>(0).GetShownItemsAsync();
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            if (failures.TryLog(out var suppressed))
            {
                LogUnavailable(ex, suppressed);
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var body = Render(items);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The original's JSON array of the given (shown) items.</summary>
    internal static byte[] Render(IEnumerable<DiscoverItem> items)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var item in items)
            {
                json.WriteStartObject();
                json.WriteString("itemName", item.Name);
                json.WriteString("itemUrl", item.Url);
                json.WriteString("itemPriority", item.Priority.ToString(CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GET /api/discovery: the discover items could not be read; answered 503 ({Suppressed} more not logged)")]
    private partial void LogUnavailable(Exception exception, int suppressed);
}
