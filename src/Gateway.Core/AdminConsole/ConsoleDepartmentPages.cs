using System.Text;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleForm;
using static TeamTalk.Orleans.Gateway.AdminConsole.ConsoleHtml;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>
/// <c>/admin/departments</c>: the tree, creation and editing (name, parent, priority), through the organisation
/// directory grain (the API's creation and its rules), so the next department sync carries every change.
/// </summary>
internal static class ConsoleDepartmentPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/departments", ListAsync);
        pages.MapPost("/departments", CreateAsync);
        pages.MapGet("/departments/{id:int}", EditAsync);
        pages.MapPost("/departments/{id:int}", UpdateAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var departments = await DepartmentsAsync(grains);
        var html = new StringBuilder("<div class=\"card\">");
        if (departments.Length == 0)
        {
            html.Append("<p class=\"muted\">No departments yet.</p>");
        }
        else
        {
            var children = departments.ToLookup(d => departments.Any(p => p.DepartmentId == d.ParentId) ? d.ParentId : 0u);
            Tree(html, children, 0, [], 0);
        }

        html.Append("</div><h2>New department</h2><form method=\"post\" action=\"/admin/departments\" class=\"grid card\">").Append(Token(context))
            .Append(Field("Name", "name", required: true, maxLength: NewDepartment.MaxNameChars))
            .Append(Select("Parent", "parentId", Parents(departments, 0), "0"))
            .Append(Field("Priority", "priority", "0", type: "number"))
            .Append("<button>Create</button></form>");
        return Page(context, "Departments", html.ToString());
    }

    private static void Tree(StringBuilder html, ILookup<uint, Department> children, uint parent, HashSet<uint> seen, int depth)
    {
        html.Append("<ul class=\"tree\">");
        foreach (var department in children[parent].OrderBy(d => d.Priority).ThenBy(d => d.DepartmentId))
        {
            html.Append("<li><a href=\"/admin/departments/").Append(E(department.DepartmentId)).Append("\">").Append(E(department.Name))
                .Append("</a> <span class=\"muted\">id ").Append(E(department.DepartmentId)).Append(", priority ").Append(E(department.Priority)).Append("</span>");
            if (seen.Add(department.DepartmentId) && depth < 64)
            {
                Tree(html, children, department.DepartmentId, seen, depth + 1);
            }

            html.Append("</li>");
        }

        html.Append("</ul>");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var department = new NewDepartment(Text(form, "name") ?? string.Empty, Number(form, "parentId") ?? 0, Number(form, "priority") ?? 0);
        var result = await grains.GetGrain<IOrgDirectoryGrain>(0).CreateDepartmentAsync(department);
        return result.Status == AdminWriteStatus.Done
            ? SeeOther("/admin/departments", $"Department {department.Name} created (id {E(result.Id)}).")
            : SeeOther("/admin/departments", error: Describe(result, "department"));
    }

    private static async Task<IResult> EditAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var departments = await DepartmentsAsync(grains);
        var department = departments.FirstOrDefault(d => d.DepartmentId == (uint)Math.Max(id, 0));
        if (department is null)
        {
            return Page(context, "No such department", "<p><a href=\"/admin/departments\">All departments</a></p>", StatusCodes.Status404NotFound);
        }

        var body = new StringBuilder("<form method=\"post\" action=\"/admin/departments/").Append(E(department.DepartmentId)).Append("\" class=\"grid card\">")
            .Append(Token(context))
            .Append(Field("Name", "name", department.Name, required: true, maxLength: NewDepartment.MaxNameChars))
            .Append(Select("Parent", "parentId", Parents(departments, department.DepartmentId), E(department.ParentId)))
            .Append(Field("Priority", "priority", E(department.Priority), type: "number"))
            .Append("<button>Save</button></form><p><a href=\"/admin/departments\">All departments</a></p>");
        return Page(context, $"Department {department.Name}", body.ToString());
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, IGrainFactory grains, int id)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var page = $"/admin/departments/{E(id)}";
        if (id <= 0)
        {
            return SeeOther("/admin/departments", error: "department: not found");
        }

        var department = new NewDepartment(Text(form, "name") ?? string.Empty, Number(form, "parentId") ?? 0, Number(form, "priority") ?? 0);
        var result = await grains.GetGrain<IOrgDirectoryGrain>(0).UpdateDepartmentAsync((uint)id, department);
        return result.Status == AdminWriteStatus.Done ? SeeOther(page, "Saved.") : SeeOther(page, error: Describe(result, "department"));
    }

    private static IEnumerable<(string, string)> Parents(Department[] departments, uint except) =>
        [("0", "(top level)"), .. departments.Where(d => d.DepartmentId != except).Select(d => (E(d.DepartmentId), $"{d.Name} (id {E(d.DepartmentId)})"))];
}
