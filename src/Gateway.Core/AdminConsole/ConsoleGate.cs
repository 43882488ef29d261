using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using TeamTalk.Orleans.Gateway.AdminApi;
using TeamTalk.Orleans.Gateway.Connections;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// The console's checks in front of its pages: a valid session cookie (a GET without one is redirected to the login
/// page, anything else is 401), and on every POST a body of at most <see cref="AdminApiOptions.MaxBodyBytes"/> carrying
/// a valid antiforgery token (400 otherwise). Refusals are logged at most once per 10 s, with the count of the rest.
/// </summary>
internal sealed partial class ConsoleGate(IAntiforgery antiforgery, TimeProvider time, ILogger<ConsoleGate> logger)
{
    private readonly RejectLog rejections = new(TimeSpan.FromSeconds(10), time);

    public async ValueTask<object?> SessionFilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var session = await context.AuthenticateAsync(AdminConsoleHostingExtensions.Scheme);
        if (!session.Succeeded)
        {
            Refused(context, "no session");
            if (HttpMethods.IsGet(context.Request.Method))
            {
                var back = context.Request.Path + context.Request.QueryString;
                return Results.Redirect($"{ConsolePaths.Login}?returnUrl={Uri.EscapeDataString(back)}");
            }

            return Results.Text("not signed in", statusCode: StatusCodes.Status401Unauthorized);
        }

        context.User = session.Principal;
        if (!HttpMethods.IsGet(context.Request.Method) && await CheckFormAsync(context) is { } refusal)
        {
            return refusal;
        }

        return await next(invocation);
    }

    /// <summary>Null when the POST is small enough and carries a valid antiforgery token; otherwise the refusal to send.</summary>
    public async Task<IResult?> CheckFormAsync(HttpContext context)
    {
        if (context.Request.ContentLength > AdminApiOptions.MaxBodyBytes)
        {
            Refused(context, "body too large");
            return Results.Text("request body too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = AdminApiOptions.MaxBodyBytes;
        }

        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            Refused(context, "missing or wrong antiforgery token");
            return Results.Text("missing or wrong antiforgery token (reload the page and try again)", statusCode: StatusCodes.Status400BadRequest);
        }

        return null;
    }

    /// <summary>Logs a refused console request, rate-limited.</summary>
    public void Refused(HttpContext context, string reason)
    {
        if (rejections.TryLog(out var suppressed))
        {
            LogRefused(context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "?", reason, suppressed);
        }
    }

    /// <summary>The signed-in administrator's name (for logs).</summary>
    public static string Administrator(HttpContext context) => context.User.FindFirstValue(ClaimTypes.Name) ?? "?";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin console request {Method} {Path} from {Remote} refused: {Reason} ({Suppressed} more refusals not logged)")]
    private partial void LogRefused(string method, string path, string remote, string reason, int suppressed);
}
