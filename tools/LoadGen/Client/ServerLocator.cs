using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using TeamTalk.Orleans.LoadGen.Cli;

namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>Where a client connects: HTTP discovery before each login (as real clients do), or a fixed TCP address.</summary>
internal sealed class ServerLocator : IDisposable
{
    private readonly CommonOptions options;
    private readonly HttpClient? http;

    public ServerLocator(CommonOptions options)
    {
        this.options = options;
        if (options.Tcp is null)
        {
            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.Zero,
                MaxConnectionsPerServer = 256,
                ConnectCallback = ConnectFromSourceAsync,
            };
            http = new HttpClient(handler) { Timeout = options.LoginTimeout };
        }
    }

    /// <summary>The TeamTalk TCP endpoint for connection <paramref name="connectionIndex"/>.</summary>
    public async Task<IPEndPoint> LocateAsync(int connectionIndex, CancellationToken ct)
    {
        if (options.Tcp is { } fixedEndpoint)
        {
            return fixedEndpoint;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, options.Discovery);
        request.Options.Set(SourceKey, options.SourceAddress(connectionIndex));
        using var response = await http!.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return ParseDiscovery(body, options.AllowRemote);
    }

    /// <summary>Reads the discovery JSON (<c>code</c>, <c>priorIP</c>, <c>port</c>).</summary>
    public static IPEndPoint ParseDiscovery(ReadOnlySpan<byte> json, bool allowRemote)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : -1;
        if (code != 0)
        {
            var msg = root.TryGetProperty("msg", out var m) ? m.GetString() : null;
            throw new DiscoveryException($"discovery answered code {code} ({msg})");
        }

        var ipText = root.GetProperty("priorIP").GetString();
        var portText = root.GetProperty("port").GetString();
        if (!IPAddress.TryParse(ipText, out var ip) || !int.TryParse(portText, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
        {
            throw new DiscoveryException($"discovery answered an unusable address {ipText}:{portText}");
        }

        if (!allowRemote && !IPAddress.IsLoopback(ip))
        {
            throw new DiscoveryException($"discovery sent us to {ip}, which is not a loopback address (pass --allow-remote for your own deployment)");
        }

        return new IPEndPoint(ip, port);
    }

    public void Dispose() => http?.Dispose();

    private static readonly HttpRequestOptionsKey<IPAddress> SourceKey = new("loadgen-source");

    private static async ValueTask<Stream> ConnectFromSourceAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (context.InitialRequestMessage.Options.TryGetValue(SourceKey, out var source))
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
