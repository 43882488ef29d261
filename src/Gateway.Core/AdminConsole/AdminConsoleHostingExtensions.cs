using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using TeamTalk.Orleans.Gateway.AdminApi;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// Composition of the web console at <c>/admin</c> on the back-office listener: cookie sessions (HttpOnly,
/// SameSite=Strict, Secure over https, signed with Data Protection keys kept in <see cref="AdminApiOptions.AdminConsoleKeysDirectory"/>),
/// antiforgery tokens on every form, the login throttle and the pages.
/// </summary>
public static partial class AdminConsoleHostingExtensions
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Adds the console's services; called by AddTeamTalkAdminApi when the back-office listener is on.</summary>
    public static IServiceCollection AddTeamTalkAdminConsole(this IServiceCollection services, AdminApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var protection = services.AddDataProtection().SetApplicationName("TeamTalk.Orleans.AdminConsole");
        if (options.AdminConsoleKeysDirectory.Length > 0)
        {
            protection.PersistKeysToFileSystem(Directory.CreateDirectory(options.AdminConsoleKeysDirectory));
        }

        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "tt_admin";
            cookie.Cookie.Path = ConsolePaths.Root;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "tt_admin_csrf";
            antiforgery.Cookie.Path = ConsolePaths.Root;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__csrf";
        });
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<ConsoleGate>();
        return services;
    }

    /// <summary>Maps the console's routes (all marked <see cref="AdminApiEndpoint.Console"/>: back-office port only).</summary>
    public static WebApplication MapTeamTalkAdminConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<AdminApiOptions>();
        var logger = app.Services.GetRequiredService<ILogger<ConsoleGate>>();
        if (options.AdminConsoleKeysDirectory.Length == 0)
        {
            LogKeysInMemory(logger);
        }

        var gate = app.Services.GetRequiredService<ConsoleGate>();
        var root = app.MapGroup(ConsolePaths.Root).WithMetadata(AdminApiEndpoint.Console).ExcludeFromDescription();
        ConsoleLoginEndpoints.Map(root, gate);
        var pages = root.MapGroup(string.Empty).AddEndpointFilter(gate.SessionFilterAsync);
        ConsoleDashboardPage.Map(pages, options);
        ConsoleUserPages.Map(pages);
        ConsoleDepartmentPages.Map(pages);
        ConsoleGroupPages.Map(pages);
        ConsoleDiscoveryPages.Map(pages);
        LogListening(logger, options.AdminListenAddress, options.AdminHttpPort);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin console: no TeamTalk:Gateway:AdminConsoleKeysDirectory, session keys are kept in memory (a restart logs administrators out)")]
    private static partial void LogKeysInMemory(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console on http://{Address}:{Port}/admin")]
    private static partial void LogListening(ILogger logger, string address, int port);
}

/// <summary>The console's paths.</summary>
internal static class ConsolePaths
{
    public const string Root = "/admin";

    public const string Login = "/admin/login";
}
