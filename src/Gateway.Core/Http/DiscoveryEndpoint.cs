using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Cluster;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Http;

/// <summary>
/// Discovery (behaviour.md 2.1): any request whose path starts with <c>/msg_server</c> gets the least-loaded live
/// gateway of the cluster as JSON (numeric <c>code</c>, string <c>port</c>; code 1 when no gateway is live, 2 when all
/// are full), with <c>Connection: close</c>.
/// </summary>
internal sealed class DiscoveryEndpoint(
    LiveGateways live,
    ConnectionRegistry registry,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options)
{
    public const string PathPrefix = "/msg_server";
    private const string NoServer = "没有msg_server";
    private const string Overloaded = "负载过高";

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly GatewayOptions settings = options.Value;
    private readonly string msfsUrl = options.Value.MsfsUrlToAdvertise();
    private readonly string discoveryUrl = options.Value.DiscoveryUrlToAdvertise();

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html;charset=utf-8";
        response.Headers.Connection = "close";
        var choice = Choose();
        var body = Render(choice, IsIPv4(context.Connection.RemoteIpAddress), Backup(choice.Gateway));
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The gateway to hand out, or the discovery code (1 none, 2 all full) when there is none.</summary>
    internal (GatewayInfo? Gateway, int Code) Choose()
    {
        var gateways = Candidates();
        if (gateways.Count == 0)
        {
            return (null, 1);
        }

        GatewayInfo? best = null;
        foreach (var candidate in gateways)
        {
            // Our own load is known exactly; the others' as of their last announcement.
            var entry = candidate.GatewayId == gateway.Id ? candidate with { LoggedInConnections = registry.LoggedInCount } : candidate;
            if (entry.LoggedInConnections < entry.MaxConnections && (best is null || entry.LoggedInConnections < best.LoggedInConnections))
            {
                best = entry;
            }
        }

        return best is null ? (null, 2) : (best, 0);
    }

    /// <summary>The live gateways discovery may name: a gateway that is stopping no longer names itself.</summary>
    private List<GatewayInfo> Candidates() =>
        [.. live.Get(settings.DiscoveryViewMaxAge).Where(g => !registry.IsDraining || g.GatewayId != gateway.Id)];

    /// <summary>
    /// A second live gateway for <c>backupIP</c>: the least-loaded other one below its maximum that listens on the same
    /// TCP port (clients use the one <c>port</c> with either address); none when there is no such gateway, and then
    /// <c>backupIP</c> is the chosen gateway's other address, as in the original.
    /// </summary>
    internal GatewayInfo? Backup(GatewayInfo? chosen)
    {
        if (chosen is null)
        {
            return null;
        }

        GatewayInfo? best = null;
        foreach (var candidate in Candidates())
        {
            var entry = candidate.GatewayId == gateway.Id ? candidate with { LoggedInConnections = registry.LoggedInCount } : candidate;
            if (entry.GatewayId != chosen.GatewayId && entry.TcpPort == chosen.TcpPort && entry.LoggedInConnections < entry.MaxConnections
                && (best is null || entry.LoggedInConnections < best.LoggedInConnections))
            {
                best = entry;
            }
        }

        return best;
    }

    internal byte[] Render((GatewayInfo? Gateway, int Code) choice, bool clientIsIPv4, GatewayInfo? backup = null)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (choice.Gateway is { } g)
            {
                // Keys in alphabetical order, as the original's JSON library writes them.
                json.WriteString("backupIP", backup is not null ? (clientIsIPv4 ? backup.Address : backup.Address2) : clientIsIPv4 ? g.Address2 : g.Address);
                json.WriteNumber("code", 0);
                json.WriteString("discovery", discoveryUrl);
                json.WriteString("msfsBackup", msfsUrl);
                json.WriteString("msfsPrior", msfsUrl);
                json.WriteString("msg", string.Empty);
                json.WriteString("port", g.TcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("priorIP", clientIsIPv4 ? g.Address : g.Address2);
            }
            else
            {
                json.WriteNumber("code", choice.Code);
                json.WriteString("msg", choice.Code == 1 ? NoServer : Overloaded);
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The original's test: the peer address splits into exactly four dot-separated parts.</summary>
    private static bool IsIPv4(IPAddress? address)
    {
        if (address is null)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.ToString().Split('.').Length == 4;
    }
}
