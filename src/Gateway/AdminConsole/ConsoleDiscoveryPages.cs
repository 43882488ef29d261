using System.Text;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleForm;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleHtml;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// <c>/admin/discovery</c>: the discover items clients list in their discover tab (<c>IMDiscovery</c>), listed,
/// created, edited and deleted (status 1, as the original admin) through the <see cref="IDiscoveryItemsGrain"/>.
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
        var items = await grains.GetGrain<IDiscoveryItemsGrain>(0).ListAsync();
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
        var item = await ReadAsync(context, 0);
        var result = await grains.GetGrain<IDiscoveryItemsGrain>(0).CreateAsync(item);
        return result.Status == AdminWriteStatus.Done
            ? SeeOther("/admin/discovery", $"Item {item.Name} created.")
            : SeeOther("/admin/discovery", error: Describe(result, "item"));
    }

    private static async Task<IResult> EditAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var item = id > 0 ? await grains.GetGrain<IDiscoveryItemsGrain>(0).GetAsync((uint)id) : null;
        if (item is null)
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
        var item = await ReadAsync(context, (uint)Math.Max(id, 0));
        var result = await grains.GetGrain<IDiscoveryItemsGrain>(0).UpdateAsync(item);
        return result.Status == AdminWriteStatus.Done ? SeeOther(page, "Saved.") : SeeOther(page, error: Describe(result, "item"));
    }

    private static async Task<IResult> DeleteAsync(IGrainFactory grains, int id)
    {
        var result = await grains.GetGrain<IDiscoveryItemsGrain>(0).DeleteAsync((uint)Math.Max(id, 0));
        return result.Status == AdminWriteStatus.Done ? SeeOther("/admin/discovery", "Item deleted.") : SeeOther("/admin/discovery", error: Describe(result, "item"));
    }

    private static async Task<DiscoveryItem> ReadAsync(HttpContext context, uint id)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return new DiscoveryItem(id, Text(form, "name") ?? string.Empty, Text(form, "url") ?? string.Empty, Number(form, "priority") ?? 0);
    }

    private static string Fields(DiscoveryItem? item) =>
        Field("Name", "name", item?.Name, required: true, maxLength: DiscoveryItem.MaxChars)
        + Field("URL", "url", item?.Url, type: "url", required: true, maxLength: DiscoveryItem.MaxChars)
        + Field("Priority", "priority", item is null ? "0" : E(item.Priority), type: "number");
}
