using System.Text;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleForm;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleHtml;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// <c>/admin/users</c>: the list (search by name or nick, pages of <see cref="PageSize"/>), creation, editing (avatar
/// URL included), a new password and disabling. Writes go through the grains the back-office API uses, with the same
/// rules (<see cref="UserFields"/>): creation through the name's Login grain, changes through the user's profile grain,
/// so a disabled user (status 3) is kicked on every connection and refused at login.
/// </summary>
internal static class ConsoleUserPages
{
    public const int PageSize = 50;

    private static readonly (string, string)[] Genders = [("0", "unknown"), ("1", "male"), ("2", "female")];

    private static readonly (string, string)[] Statuses = [("0", "0 active"), ("1", "1 trial"), ("2", "2 regular"), ("4", "4 intern"), ("3", "3 left (disabled)")];

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/users", ListAsync);
        pages.MapGet("/users/new", NewAsync);
        pages.MapPost("/users", CreateAsync);
        pages.MapGet("/users/{id:int}", EditAsync);
        pages.MapPost("/users/{id:int}", UpdateAsync);
        pages.MapPost("/users/{id:int}/password", PasswordAsync);
        pages.MapPost("/users/{id:int}/disable", DisableAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var query = context.Request.Query["q"].ToString().Trim();
        var page = PageNumber(context);
        var found = await grains.GetGrain<IAdminConsoleGrain>(0).SearchUsersAsync(query, (page - 1) * PageSize, PageSize);
        var departments = (await DepartmentsAsync(grains)).ToDictionary(d => d.DepartmentId, d => d.Name);
        var html = new StringBuilder();
        html.Append("<form method=\"get\" action=\"/admin/users\" class=\"grid card\">").Append(Field("Search name or nick", "q", query))
            .Append("<button>Search</button><a href=\"/admin/users/new\">New user</a></form>");
        html.Append("<p class=\"muted\">").Append(E(found.Total)).Append(" users</p><div class=\"scroll\"><table id=\"users\"><tr><th></th><th>Id</th><th>Name</th><th>Nick</th><th>Department</th><th>Status</th></tr>");
        foreach (var user in found.Users)
        {
            html.Append("<tr class=\"status-").Append(E(user.Status)).Append("\"><td>").Append(Avatar(user.Avatar)).Append("</td><td>").Append(E(user.Id))
                .Append("</td><td><a href=\"/admin/users/").Append(E(user.Id)).Append("\">").Append(E(user.Name)).Append("</a></td><td>").Append(E(user.Nick))
                .Append("</td><td>").Append(E(departments.GetValueOrDefault(user.DepartmentId, $"#{user.DepartmentId}")))
                .Append("</td><td>").Append(E(user.Status)).Append(user.Status == UserFields.StatusLeft ? " left" : string.Empty).Append("</td></tr>");
        }

        html.Append("</table></div><div class=\"pager\">");
        var q = Uri.EscapeDataString(query);
        if (page > 1)
        {
            html.Append("<a href=\"/admin/users?q=").Append(E(q)).Append("&amp;page=").Append(E(page - 1)).Append("\">← previous</a>");
        }

        if (page * PageSize < found.Total)
        {
            html.Append("<a href=\"/admin/users?q=").Append(E(q)).Append("&amp;page=").Append(E(page + 1)).Append("\">next →</a>");
        }

        html.Append("</div>");
        return Page(context, "Users", html.ToString());
    }

    private static async Task<IResult> NewAsync(HttpContext context, IGrainFactory grains)
    {
        var departments = await DepartmentsAsync(grains);
        if (departments.Length == 0)
        {
            return Page(context, "New user", "<p>Create a <a href=\"/admin/departments\">department</a> first: every user belongs to one.</p>");
        }

        var body = $"""
            <form method="post" action="/admin/users" class="grid card">{Token(context)}
            {Field("Login name", "name", required: true, maxLength: UserFields.Name)}
            {Field("Password", "password", type: "password", required: true, maxLength: UserFields.Password)}
            {Field("Nick", "nick", required: true, maxLength: UserFields.Nick)}
            {Select("Department", "departmentId", departments.Select(d => (E(d.DepartmentId), d.Name)), E(departments[0].DepartmentId))}
            {Select("Sex", "sex", Genders, "0")}
            {Field("Phone", "phone", maxLength: UserFields.Phone)}
            {Field("Email", "email", type: "email", maxLength: UserFields.Email)}
            {Field("Avatar URL", "avatar", type: "url")}
            {Field("Signature", "signInfo")}
            <button>Create user</button></form>
            """;
        return Page(context, "New user", body);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = new NewUser(Text(form, "name") ?? string.Empty, form["password"].ToString(), Text(form, "nick") ?? string.Empty,
            Number(form, "departmentId") ?? 0, Number(form, "sex") ?? 0, Text(form, "phone") ?? string.Empty, Text(form, "email") ?? string.Empty,
            Text(form, "avatar") ?? string.Empty, Text(form, "signInfo") ?? string.Empty);
        if (UserFields.Check(user) is { } invalid)
        {
            return SeeOther("/admin/users/new", error: invalid);
        }

        var result = await grains.GetLoginGrain(user.Name).CreateUserAsync(user);
        return result.Status == AdminWriteStatus.Done
            ? SeeOther($"/admin/users/{E(result.Id)}", $"User {user.Name} created (id {E(result.Id)}).")
            : SeeOther("/admin/users/new", error: Describe(result, "name"));
    }

    private static async Task<IResult> EditAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var found = id > 0 ? await grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync([(uint)id]) : [];
        if (found.Length == 0)
        {
            return Page(context, "No such user", "<p><a href=\"/admin/users\">All users</a></p>", StatusCodes.Status404NotFound);
        }

        var (p, status) = (found[0].Profile, found[0].Status);
        var departments = await DepartmentsAsync(grains);
        var body = $"""
            <div class="card">{Avatar(p.AvatarUrl)} <b>{E(p.RealName)}</b> <span class="muted">id {E(p.UserId)}, status {E(status)}</span></div>
            <form method="post" action="/admin/users/{E(p.UserId)}" class="grid card">{Token(context)}
            {Field("Login name", "name", p.RealName, required: true, maxLength: UserFields.Name)}
            {Field("Nick", "nick", p.NickName, required: true, maxLength: UserFields.Nick)}
            {Select("Department", "departmentId", departments.Select(d => (E(d.DepartmentId), d.Name)), E(p.DepartmentId))}
            {Select("Sex", "sex", Genders, E(p.Gender))}
            {Field("Phone", "phone", p.Phone, maxLength: UserFields.Phone)}
            {Field("Email", "email", p.Email, type: "email", maxLength: UserFields.Email)}
            {Field("Avatar URL", "avatar", p.AvatarUrl, type: "url")}
            {Field("Signature", "signInfo", p.SignInfo)}
            {Select("Status", "status", Statuses, E(status))}
            <button>Save</button></form>
            <h2>New password</h2>
            <form method="post" action="/admin/users/{E(p.UserId)}/password" class="grid card">{Token(context)}
            {Field("Password", "password", type: "password", required: true, maxLength: UserFields.Password)}
            <button>Set password</button></form>
            <h2>Disable</h2>
            <form method="post" action="/admin/users/{E(p.UserId)}/disable" class="card">{Token(context)}
            <p class="muted">Sets status 3 (left): every connection of the user is kicked at once and logins are refused. Set another status above to let the user back.</p>
            <button class="danger">Disable user</button></form>
            """;
        return Page(context, $"User {p.RealName}", body);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var update = new UserUpdate(Text(form, "name"), null, Text(form, "nick"), Number(form, "departmentId"), Number(form, "sex"),
            Text(form, "phone"), Text(form, "email"), Text(form, "avatar"), Text(form, "signInfo"), Number(form, "status"));
        return await ApplyAsync(grains, id, update, "Saved.");
    }

    private static async Task<IResult> PasswordAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var update = new UserUpdate(null, form["password"].ToString(), null, null, null, null, null, null, null, null);
        return await ApplyAsync(grains, id, update, "Password set.");
    }

    private static Task<IResult> DisableAsync(IGrainFactory grains, int id) => ApplyAsync(grains, id, UserUpdate.Leave, "User disabled: kicked and refused at login.");

    private static async Task<IResult> ApplyAsync(IGrainFactory grains, int id, UserUpdate update, string done)
    {
        var page = $"/admin/users/{E(id)}";
        if (id <= 0)
        {
            return SeeOther("/admin/users", error: "user: not found");
        }

        if (update.IsEmpty)
        {
            return SeeOther(page, error: "nothing to change");
        }

        if (UserFields.Check(update) is { } invalid)
        {
            return SeeOther(page, error: invalid);
        }

        var result = await grains.GetGrain<IUserProfileGrain>((uint)id).UpdateAsync(update);
        return result.Status == AdminWriteStatus.Done
            ? SeeOther(page, done)
            : SeeOther(page, error: Describe(result, result.Status == AdminWriteStatus.Duplicate ? "name" : "user"));
    }

    private static string Avatar(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? $"<img class=\"avatar\" src=\"{E(url)}\" alt=\"\" loading=\"lazy\">"
            : string.Empty;
}
