using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace TeamTalk.Orleans.Silo;

/// <summary>
/// HTTP basic authentication in front of the Orleans Dashboard when <see cref="DashboardSettings.Password"/> is set:
/// a request under the dashboard's path without the right user name and password gets 401 with a
/// <c>WWW-Authenticate: Basic</c> challenge. The comparison takes the same time whatever the input. Refusals are logged
/// once, then one line per 100.
/// </summary>
internal sealed partial class DashboardAuthentication(string pathPrefix, string userName, string password, ILogger<DashboardAuthentication> logger)
{
    private readonly byte[] expected = Encoding.UTF8.GetBytes($"{userName}:{password}");
    private long refused;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // Routing matches paths ignoring case: so must this, or /Dashboard/… would pass unasked.
        if (!context.Request.Path.StartsWithSegments(pathPrefix, StringComparison.OrdinalIgnoreCase) || Authorized(context.Request))
        {
            return next(context);
        }

        if (Interlocked.Increment(ref refused) % 100 == 1)
        {
            LogRefused(context.Connection.RemoteIpAddress, Interlocked.Read(ref refused));
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans Dashboard\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    /// <summary>True when the request carries <c>Authorization: Basic base64(user:password)</c> with the configured pair.</summary>
    internal bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[256];
        return Convert.TryFromBase64String(header[Scheme.Length..].Trim(), decoded, out var length)
            && CryptographicOperations.FixedTimeEquals(decoded[..length], expected);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard: request from {Remote} without the right user name and password refused ({Count} so far)")]
    private partial void LogRefused(IPAddress? remote, long count);
}
