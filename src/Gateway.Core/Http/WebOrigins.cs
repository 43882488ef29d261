namespace TeamTalk.Orleans.Gateway.Http;

/// <summary>
/// Which browser origins may use the web client's endpoints on the HTTP port (<c>/ws</c>, <c>/api/voice/wav</c>): the
/// gateway's own (the page it serves), the origins configured in <c>TeamTalk:Gateway:WebSocket:AllowedOrigins</c>
/// (<c>*</c>: any), and requests without <c>Origin</c> (not browsers).
/// </summary>
internal static class WebOrigins
{
    /// <summary>No <c>Origin</c>, the request's own host, a configured origin, or <c>*</c> configured.</summary>
    public static bool Allowed(HttpRequest request, IEnumerable<string> allowedOrigins)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || allowedOrigins.Contains("*"))
        {
            return true;
        }

        if (allowedOrigins.Any(allowed => string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return IsOwn(request, origin);
    }

    /// <summary>The origin names the host the request was sent to: the page came from this gateway.</summary>
    private static bool IsOwn(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
