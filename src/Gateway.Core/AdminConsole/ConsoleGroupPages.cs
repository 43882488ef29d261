using System.Text;
using TeamTalk.Orleans.Gateway.AdminApi;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleForm;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleHtml;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// <c>/admin/groups</c>: the list (search, pages), creating normal groups (through the group directory, as the API
/// does) and adding or removing members (administrative changes through the Group grain: every connection of every
/// current and changed member is notified).
/// </summary>
internal static class ConsoleGroupPages
{
    public const int PageSize = 50;

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/groups", ListAsync);
        pages.MapPost("/groups", CreateAsync);
        pages.MapGet("/groups/{id:int}", ShowAsync);
        pages.MapPost("/groups/{id:int}/members", MembersAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var query = context.Request.Query["q"].ToString().Trim();
        var page = PageNumber(context);
        var found = await grains.GetGrain<IAdminConsoleGrain>(0).SearchGroupsAsync(query, (page - 1) * PageSize, PageSize);
        var html = new StringBuilder();
        html.Append("<form method=\"get\" action=\"/admin/groups\" class=\"grid card\">").Append(Field("Search name", "q", query)).Append("<button>Search</button></form>");
        html.Append("<p class=\"muted\">").Append(E(found.Total)).Append(" groups</p><div class=\"scroll\"><table id=\"groups\"><tr><th>Id</th><th>Name</th><th>Type</th><th>Members</th><th>Creator</th></tr>");
        foreach (var group in found.Groups)
        {
            html.Append("<tr><td>").Append(E(group.Id)).Append("</td><td><a href=\"/admin/groups/").Append(E(group.Id)).Append("\">").Append(E(group.Name))
                .Append("</a></td><td>").Append(group.Type == GroupCreate.Normal ? "normal" : "temporary").Append("</td><td>").Append(E(group.Members))
                .Append("</td><td>").Append(E(group.CreatorId)).Append("</td></tr>");
        }

        html.Append("</table></div><div class=\"pager\">");
        var q = Uri.EscapeDataString(query);
        if (page > 1)
        {
            html.Append("<a href=\"/admin/groups?q=").Append(E(q)).Append("&amp;page=").Append(E(page - 1)).Append("\">← previous</a>");
        }

        if (page * PageSize < found.Total)
        {
            html.Append("<a href=\"/admin/groups?q=").Append(E(q)).Append("&amp;page=").Append(E(page + 1)).Append("\">next →</a>");
        }

        html.Append("</div><h2>New normal group</h2><form method=\"post\" action=\"/admin/groups\" class=\"grid card\">").Append(Token(context))
            .Append(Field("Name", "name", required: true, maxLength: 256))
            .Append(Field("Creator (user id or login name)", "creator", required: true))
            .Append(Field("Members (ids or login names, comma separated)", "members", required: true))
            .Append(Field("Avatar URL", "avatar", type: "url"))
            .Append("<button>Create</button></form>");
        return Page(context, "Groups", html.ToString());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = Text(form, "name") ?? string.Empty;
        var (creator, creatorError) = await UserIdsAsync(grains, Text(form, "creator"));
        var (members, membersError) = await UserIdsAsync(grains, Text(form, "members"));
        var error = name.Length == 0 ? "name: must not be empty"
            : creatorError ?? membersError
            ?? (creator.Length != 1 ? "creator: one user" : members.Length == 0 || members.Contains(0u) ? "members: one or more users" : null);
        if (error is null && await AdminGroupEndpoints.UnknownUserAsync(grains, [.. creator, .. members]) is { } unknown)
        {
            error = $"users: {unknown} is no user";
        }

        if (error is not null)
        {
            return SeeOther("/admin/groups", error: error);
        }

        var created = await grains.GetGroupDirectory().CreateAsync(new GroupCreate(creator[0], name, Text(form, "avatar") ?? string.Empty, members, GroupCreate.Normal));
        return created.GroupId != 0
            ? SeeOther($"/admin/groups/{E(created.GroupId)}", $"Group {name} created (id {E(created.GroupId)}).")
            : SeeOther("/admin/groups", error: "refused (a name or avatar longer than 256 characters, or more members than the group limit)");
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var info = id > 0 ? await grains.GetGroupGrain((uint)id).GetAdminInfoAsync() : null;
        if (info is null)
        {
            return Page(context, "No such group", "<p><a href=\"/admin/groups\">All groups</a></p>", StatusCodes.Status404NotFound);
        }

        var members = await grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync(info.Members);
        var html = new StringBuilder();
        html.Append("<p class=\"muted\">id ").Append(E(info.GroupId)).Append(", ").Append(info.GroupType == GroupCreate.Normal ? "normal" : "temporary")
            .Append(", version ").Append(E(info.Version)).Append(", creator ").Append(E(info.CreatorId)).Append("</p>");
        html.Append("<div class=\"scroll\"><table id=\"members\"><tr><th>Id</th><th>Name</th><th>Nick</th><th></th></tr>");
        foreach (var member in members)
        {
            html.Append("<tr><td>").Append(E(member.Profile.UserId)).Append("</td><td><a href=\"/admin/users/").Append(E(member.Profile.UserId)).Append("\">")
                .Append(E(member.Profile.RealName)).Append("</a></td><td>").Append(E(member.Profile.NickName)).Append("</td><td>")
                .Append("<form method=\"post\" class=\"inline\" action=\"/admin/groups/").Append(E(info.GroupId)).Append("/members\">").Append(Token(context))
                .Append("<input type=\"hidden\" name=\"remove\" value=\"").Append(E(member.Profile.UserId)).Append("\"><button class=\"link\">remove</button></form></td></tr>");
        }

        html.Append("</table></div><h2>Add members</h2><form method=\"post\" action=\"/admin/groups/").Append(E(info.GroupId)).Append("/members\" class=\"grid card\">")
            .Append(Token(context)).Append(Field("Users (ids or login names, comma separated)", "add", required: true)).Append("<button>Add</button></form>")
            .Append("<p><a href=\"/admin/groups\">All groups</a></p>");
        return Page(context, $"Group {info.Name}", html.ToString());
    }

    private static async Task<IResult> MembersAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var page = $"/admin/groups/{E(id)}";
        var (add, addError) = await UserIdsAsync(grains, Text(form, "add"));
        var (remove, removeError) = await UserIdsAsync(grains, Text(form, "remove"));
        var error = addError ?? removeError ?? (add.Length + remove.Length == 0 ? "add: no users given" : add.Contains(0u) || remove.Contains(0u) ? "users: 0 is no user id" : null);
        if (error is null && await AdminGroupEndpoints.UnknownUserAsync(grains, add) is { } unknown)
        {
            error = $"add: {unknown} is no user";
        }

        if (error is not null || id <= 0)
        {
            return SeeOther(page, error: error ?? "group: not found");
        }

        var group = grains.GetGroupGrain((uint)id);
        foreach (var (type, users) in new[] { (GroupChangeType.Add, add), (GroupChangeType.Remove, remove) })
        {
            if (users.Length == 0)
            {
                continue;
            }

            var result = await group.ChangeMembersAsync(GroupChange.Administrative(type, users));
            if (result.Status != GroupChangeStatus.Done)
            {
                return SeeOther(page, error: result.Status == GroupChangeStatus.NoSuchGroup ? "group: not found" : "add: more members than the group limit");
            }
        }

        return SeeOther(page, add.Length > 0 ? "Members added." : "Member removed.");
    }
}
