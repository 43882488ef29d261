using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>msfs over HTTP: multipart uploads as the clients send them, downloads, and raw requests that HttpClient would normalise.</summary>
internal static partial class MsfsHttp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Uploads one file part; returns the JSON answer.</summary>
    public static async Task<JsonElement> UploadAsync(GatewayHandle gateway, string fileName, byte[] bytes, string partType = "image/png")
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(partType);
        content.Add(file, "file", fileName);
        using var response = await Http.PostAsync(new Uri($"http://127.0.0.1:{gateway.MsfsPort}/"), content);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    /// <summary>GET of a URL: status, content type and body.</summary>
    public static async Task<(int Status, string? ContentType, byte[] Body)> GetAsync(string url)
    {
        using var response = await Http.GetAsync(new Uri(url));
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// Sends <paramref name="request"/> as it is; returns the response (headers and, by its <c>Content-Length</c>, body).
    /// The answer is read as soon as it is complete: a refused upload's connection may be reset afterwards (the server
    /// does not read a body it refused), which must not lose what was answered.
    /// </summary>
    public static async Task<string> RawAsync(GatewayHandle gateway, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", gateway.MsfsPort);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = ContentLength().Match(text[..end]);
                if (length.Success && received.Count >= Encoding.UTF8.GetByteCount(text[..(end + 4)]) + int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture))
                {
                    return text;
                }
            }

            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return text;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>The JSON body of a raw response.</summary>
    public static JsonElement JsonBody(string response)
    {
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    [GeneratedRegex(@"(?im)^Content-Length:\s*(\d+)\s*$")]
    private static partial Regex ContentLength();
}
