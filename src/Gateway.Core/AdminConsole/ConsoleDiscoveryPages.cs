using System.Text;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleForm;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleHtml;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// <c>/admin/discovery</c>: the discover items clients list in their discover tab (<c>IMDiscovery</c>), listed,
/// created, edited and deleted (status 1, as the original admin) through the <see cref="IDiscoveryGrain"/> that also
/// serves the gateways' <c>/api/discovery</c> and the back-office API, so clients see a change at once.
/// </summary>
internal static class ConsoleDiscoveryPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/discovery", ListAsync);
        pages.MapPost("/discovery", CreateAsync);
        pages.MapGet("/discovery/{id:int}", EditAsync);
        pages.MapPost("/discovery/{id:int}", UpdateAsync);
        pages.MapPost("/discovery/{id:int}/delete", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var items = (await grains.GetGrain<IDiscoveryGrain>(0).GetShownItemsAsync()).OrderBy(i => i.Priority).ThenBy(i => i.Id);
        var html = new StringBuilder("<div class=\"scroll\"><table id=\"discovery\"><tr><th>Priority</th><th>Name</th><th>URL</th><th></th></tr>");
        foreach (var item in items)
        {
            html.Append("<tr><td>").Append(E(item.Priority)).Append("</td><td><a href=\"/admin/discovery/").Append(E(item.Id)).Append("\">").Append(E(item.Name))
                .Append("</a></td><td>").Append(E(item.Url)).Append("</td><td><form method=\"post\" class=\"inline\" action=\"/admin/discovery/").Append(E(item.Id))
                .Append("/delete\">").Append(Token(context)).Append("<button class=\"link\">delete</button></form></td></tr>");
        }

        html.Append("</table></div><p class=\"muted\">Clients list these in their discover tab, lowest priority first.</p>")
            .Append("<h2>New item</h2><form method=\"post\" action=\"/admin/discovery\" class=\"grid card\">").Append(Token(context))
            .Append(Fields(null)).Append("<button>Create</button></form>");
        return Page(context, "Discover items", html.ToString());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var item = await ReadAsync(context);
        var result = await grains.GetGrain<IDiscoveryGrain>(0).CreateAsync(item);
        return result.Status == AdminWriteStatus.Done
            ? SeeOther("/admin/discovery", $"Item {item.Name} created.")
            : SeeOther("/admin/discovery", error: Describe(result, "item"));
    }

    private static async Task<IResult> EditAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var item = id > 0 ? await grains.GetGrain<IDiscoveryGrain>(0).GetItemAsync((uint)id) : null;
        if (item is null || item.Status != DiscoverItem.Shown)
        {
            return Page(context, "No such item", "<p><a href=\"/admin/discovery\">All items</a></p>", StatusCodes.Status404NotFound);
        }

        var body = $"""
            <form method="post" action="/admin/discovery/{E(item.Id)}" class="grid card">{Token(context)}{Fields(item)}<button>Save</button></form>
            <p><a href="/admin/discovery">All items</a></p>
            """;
        return Page(context, $"Discover item {item.Name}", body);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var page = $"/admin/discovery/{E(id)}";
        var item = await ReadAsync(context);
        var result = await grains.GetGrain<IDiscoveryGrain>(0).UpdateAsync((uint)Math.Max(id, 0), item);
        return result.Status == AdminWriteStatus.Done ? SeeOther(page, "Saved.") : SeeOther(page, error: Describe(result, "item"));
    }

    private static async Task<IResult> DeleteAsync(IGrainFactory grains, int id)
    {
        var result = await grains.GetGrain<IDiscoveryGrain>(0).HideAsync((uint)Math.Max(id, 0));
        return result.Status == AdminWriteStatus.Done ? SeeOther("/admin/discovery", "Item deleted.") : SeeOther("/admin/discovery", error: Describe(result, "item"));
    }

    private static async Task<DiscoverItemFields> ReadAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return new DiscoverItemFields(Text(form, "name") ?? string.Empty, Text(form, "url") ?? string.Empty, Number(form, "priority") ?? 0, Status: null);
    }

    private static string Fields(DiscoverItem? item) =>
        Field("Name", "name", item?.Name, required: true, maxLength: DiscoverItem.MaxTextChars)
        + Field("URL", "url", item?.Url, type: "url", required: true, maxLength: DiscoverItem.MaxTextChars)
        + Field("Priority", "priority", item is null ? "0" : E(item.Priority), type: "number");
}
