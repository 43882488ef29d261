using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// The console's HTML: one layout and small helpers. Every value from outside (names, URLs, messages) goes through
/// <see cref="E(string)"/>; literal markup is written only by this code.
/// </summary>
internal static class ConsoleHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>HTML-encodes text for an element or a quoted attribute.</summary>
    public static string E(string? text) => Encoder.Encode(text ?? string.Empty);

    public static string E(uint value) => value.ToString(CultureInfo.InvariantCulture);

    public static string E(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A whole page: head, navigation (when signed in), the flash message from <c>?msg=</c>/<c>?error=</c>, and <paramref name="body"/>.</summary>
    public static IResult Page(HttpContext context, string title, string body, int status = StatusCodes.Status200OK, bool signedIn = true)
    {
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' http: https: data:; form-action 'self'; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · TeamTalk admin</title><link rel=\"stylesheet\" href=\"/admin/console.css\"></head><body>");
        if (signedIn)
        {
            html.Append("<header><nav><a class=\"brand\" href=\"/admin\">TeamTalk</a>")
                .Append("<a href=\"/admin/users\">Users</a><a href=\"/admin/departments\">Departments</a>")
                .Append("<a href=\"/admin/groups\">Groups</a><a href=\"/admin/discovery\">Discover</a>")
                .Append("<form method=\"post\" action=\"/admin/logout\">").Append(Token(context))
                .Append("<button class=\"link\">Log out ").Append(E(context.User.Identity?.Name)).Append("</button></form></nav></header>");
        }

        html.Append("<main><h1>").Append(E(title)).Append("</h1>");
        if (context.Request.Query["msg"].ToString() is { Length: > 0 } message)
        {
            html.Append("<p class=\"flash ok\">").Append(E(message)).Append("</p>");
        }

        if (context.Request.Query["error"].ToString() is { Length: > 0 } error)
        {
            html.Append("<p class=\"flash error\">").Append(E(error)).Append("</p>");
        }

        html.Append(body).Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The hidden antiforgery field every form carries.</summary>
    public static string Token(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>A labelled input.</summary>
    public static string Field(string label, string name, string? value = null, string type = "text", bool required = false, int maxLength = 0) =>
        $"<label>{E(label)}<input type=\"{type}\" name=\"{name}\" value=\"{E(value)}\"{(required ? " required" : string.Empty)}{(maxLength > 0 ? $" maxlength=\"{E(maxLength)}\"" : string.Empty)}></label>";

    /// <summary>A labelled select of (value, text) options with <paramref name="selected"/> chosen.</summary>
    public static string Select(string label, string name, IEnumerable<(string Value, string Text)> options, string selected)
    {
        var html = new StringBuilder().Append("<label>").Append(E(label)).Append("<select name=\"").Append(name).Append("\">");
        foreach (var (value, text) in options)
        {
            html.Append("<option value=\"").Append(E(value)).Append('"').Append(value == selected ? " selected" : string.Empty).Append('>').Append(E(text)).Append("</option>");
        }

        return html.Append("</select></label>").ToString();
    }

    /// <summary>A redirect after a POST (303, so the browser GETs the page), with a flash message.</summary>
    public static IResult SeeOther(string path, string? message = null, string? error = null)
    {
        var query = message is not null ? "?msg=" + Uri.EscapeDataString(message) : error is not null ? "?error=" + Uri.EscapeDataString(error) : string.Empty;
        return new SeeOtherResult(path + query);
    }

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
