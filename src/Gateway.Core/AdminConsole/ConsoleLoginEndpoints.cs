using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using TeamTalk.Orleans.Grains;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleHtml;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// <c>/admin/login</c> and <c>/admin/logout</c>, and the style sheet: the pages served without a session. A login is
/// checked against the original's <c>IMAdmin</c> table (<see cref="IAdminConsoleGrain.VerifyAdminAsync"/>), only with a
/// valid antiforgery token and only while the <see cref="LoginThrottle"/> allows the remote address.
/// </summary>
internal static partial class ConsoleLoginEndpoints
{
    public static void Map(RouteGroupBuilder root, ConsoleGate gate)
    {
        root.MapGet("/console.css", () => Results.Text(ConsoleStyles.Css, "text/css; charset=utf-8"));
        root.MapGet("/login", (HttpContext context) => LoginPage(context, null, StatusCodes.Status200OK));
        root.MapPost("/login", (HttpContext context, IGrainFactory grains, LoginThrottle throttle, ILogger<ConsoleGate> logger) =>
            LoginAsync(context, grains, throttle, gate, logger));
        root.MapPost("/logout", async (HttpContext context) =>
        {
            if (await gate.CheckFormAsync(context) is { } refusal)
            {
                return refusal;
            }

            await context.SignOutAsync(AdminConsoleHostingExtensions.Scheme);
            return SeeOther(ConsolePaths.Login, "Logged out.");
        });
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IGrainFactory grains, LoginThrottle throttle, ConsoleGate gate, ILogger logger)
    {
        if (await gate.CheckFormAsync(context) is { } refusal)
        {
            return refusal;
        }

        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (!throttle.Allows(remote))
        {
            gate.Refused(context, "too many failed logins");
            return LoginPage(context, $"Too many failed logins from this address; wait {LoginThrottle.Window.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes.", StatusCodes.Status429TooManyRequests);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        var result = await grains.GetGrain<IAdminConsoleGrain>(0).VerifyAdminAsync(name, password);
        if (!result.Accepted)
        {
            throttle.Failed(remote);
            gate.Refused(context, "wrong name or password");
            return LoginPage(context, "Wrong name or password.", StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(remote);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, result.Name), new Claim(ClaimTypes.NameIdentifier, result.AdminId.ToString(CultureInfo.InvariantCulture))],
            AdminConsoleHostingExtensions.Scheme);
        await context.SignInAsync(AdminConsoleHostingExtensions.Scheme, new ClaimsPrincipal(identity));
        LogLoggedIn(logger, result.Name, remote.ToString());
        var back = form["returnUrl"].ToString();
        return SeeOther(IsLocalConsolePath(back) ? back : ConsolePaths.Root);
    }

    /// <summary>True for a path of the console itself (so a login cannot be turned into a redirect elsewhere).</summary>
    public static bool IsLocalConsolePath(string path) =>
        (path == ConsolePaths.Root || path.StartsWith(ConsolePaths.Root + "/", StringComparison.Ordinal) || path.StartsWith(ConsolePaths.Root + "?", StringComparison.Ordinal))
        && !path.Contains("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal);

    private static IResult LoginPage(HttpContext context, string? error, int status)
    {
        var back = context.Request.HasFormContentType ? context.Request.Form["returnUrl"].ToString() : context.Request.Query["returnUrl"].ToString();
        var body = $"""
            <form method="post" action="/admin/login" class="card narrow">
            {Token(context)}<input type="hidden" name="returnUrl" value="{E(back)}">
            {(error is null ? string.Empty : $"<p class=\"flash error\">{E(error)}</p>")}
            {Field("Name", "name", required: true, maxLength: 40)}
            {Field("Password", "password", type: "password", required: true)}
            <button>Log in</button>
            </form>
            """;
        return Page(context, "Administrator login", body, status, signedIn: false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: administrator {Name} logged in from {Remote}")]
    private static partial void LogLoggedIn(ILogger logger, string name, string remote);
}
