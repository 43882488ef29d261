using System.Globalization;
using System.Text;
using TeamTalk.Orleans.Gateway.AdminApi;
using TeamTalk.Orleans.Grains;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleHtml;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// <c>/admin</c>: the live gateways from the gateway directory (connections out of their maximum, chat messages per
/// second each accepted over its last announcement period, summed for the cluster), who is online now (users with a
/// PC-class connection, asked of every gateway by the presence grain) and the Orleans Dashboard's link.
/// </summary>
internal static class ConsoleDashboardPage
{
    private const int MaxOnlineShown = 500;

    public static void Map(RouteGroupBuilder pages, AdminApiOptions options)
    {
        pages.MapGet("/", (HttpContext context, IGrainFactory grains) => ShowAsync(context, grains, options.AdminDashboardUrl));
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IGrainFactory grains, string dashboardUrl)
    {
        var routes = await grains.GetGatewayDirectory().GetRoutesAsync();
        var users = (await grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersChangedSinceAsync(0)).Users;
        var online = (await grains.GetGrain<IPresenceGrain>(0).GetPcOnlineAsync([.. users.Select(u => u.Profile.UserId)])).ToHashSet();
        var connections = routes.Sum(r => r.Info.LoggedInConnections);
        var rate = routes.Sum(r => r.Info.MessagesPerSecond);

        var html = new StringBuilder();
        html.Append("<div class=\"stats\">")
            .Append("<div class=\"stat\"><b id=\"online\">").Append(E(online.Count)).Append("</b>users online</div>")
            .Append("<div class=\"stat\"><b id=\"connections\">").Append(E(connections)).Append("</b>connections</div>")
            .Append("<div class=\"stat\"><b id=\"rate\">").Append(E(rate.ToString("0.#", CultureInfo.InvariantCulture))).Append("</b>messages per second</div>")
            .Append("<div class=\"stat\"><b>").Append(E(routes.Length)).Append("</b>gateways</div></div>");
        html.Append(dashboardUrl.Length > 0
            ? $"<p><a href=\"{E(dashboardUrl)}\" rel=\"noopener\">Orleans Dashboard</a> <span class=\"muted\">(silos, grains, calls)</span></p>"
            : "<p class=\"muted\">Orleans Dashboard: not configured (TeamTalk:Gateway:AdminDashboardUrl).</p>");

        html.Append("<h2>Gateways</h2><div class=\"scroll\"><table><tr><th>Gateway</th><th>Address</th><th>Connections</th><th>Messages/s</th></tr>");
        foreach (var info in routes.Select(r => r.Info).OrderBy(i => i.GatewayId, StringComparer.Ordinal))
        {
            html.Append("<tr><td>").Append(E(info.GatewayId)).Append("</td><td>").Append(E(info.Address)).Append(':').Append(E(info.TcpPort))
                .Append("</td><td>").Append(E(info.LoggedInConnections)).Append(" / ").Append(E(info.MaxConnections))
                .Append("</td><td>").Append(E(info.MessagesPerSecond.ToString("0.#", CultureInfo.InvariantCulture))).Append("</td></tr>");
        }

        html.Append("</table></div><p class=\"muted\">Messages per second: chat messages each gateway accepted over its last announcement period.</p>");
        html.Append("<h2>Online now</h2>");
        var shown = users.Where(u => online.Contains(u.Profile.UserId)).Take(MaxOnlineShown).ToList();
        if (shown.Count == 0)
        {
            html.Append("<p class=\"muted\">Nobody.</p>");
        }
        else
        {
            html.Append("<div class=\"scroll\"><table id=\"online-users\"><tr><th>Id</th><th>Name</th><th>Nick</th></tr>");
            foreach (var user in shown)
            {
                html.Append("<tr><td>").Append(E(user.Profile.UserId)).Append("</td><td><a href=\"/admin/users/").Append(E(user.Profile.UserId)).Append("\">")
                    .Append(E(user.Profile.RealName)).Append("</a></td><td>").Append(E(user.Profile.NickName)).Append("</td></tr>");
            }

            html.Append("</table></div>");
            if (online.Count > shown.Count)
            {
                html.Append("<p class=\"muted\">and ").Append(E(online.Count - shown.Count)).Append(" more.</p>");
            }
        }

        html.Append("<p class=\"muted\">Online: a PC-class connection (Windows, Mac) is logged in, as clients see presence.</p>");
        return Page(context, "Overview", html.ToString());
    }
}
