using System.Globalization;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>Reading the console's forms and describing the grains' answers.</summary>
internal static class ConsoleForm
{
    /// <summary>The field's text, trimmed; null when absent.</summary>
    public static string? Text(IFormCollection form, string name) => form.TryGetValue(name, out var value) ? value.ToString().Trim() : null;

    /// <summary>The field as a non-negative number; null when absent, empty or not a number.</summary>
    public static uint? Number(IFormCollection form, string name) =>
        uint.TryParse(Text(form, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A page number from the query (1 when absent or bad).</summary>
    public static int PageNumber(HttpContext context) =>
        int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is > 0 and < 1_000_000 ? page : 1;

    /// <summary>A refused write as the message the console shows.</summary>
    public static string Describe(AdminWriteResult result, string what) => result.Status switch
    {
        AdminWriteStatus.NotFound => $"{what}: not found",
        AdminWriteStatus.Duplicate => $"{what}: the name exists",
        _ => result.Error ?? "refused",
    };

    /// <summary>The departments that are not deleted, by id.</summary>
    public static async Task<Department[]> DepartmentsAsync(IGrainFactory grains) =>
        [.. (await grains.GetGrain<IOrgDirectoryGrain>(0).GetDepartmentsChangedSinceAsync(0)).Departments.Where(d => d.Status == 0).OrderBy(d => d.DepartmentId)];

    /// <summary>
    /// User ids from a list of ids and login names separated by commas or spaces; the names not found (or ambiguous)
    /// are returned as the error.
    /// </summary>
    public static async Task<(uint[] Ids, string? Error)> UserIdsAsync(IGrainFactory grains, string? text)
    {
        var ids = new List<uint>();
        foreach (var token in (text ?? string.Empty).Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (uint.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
                continue;
            }

            var page = await grains.GetGrain<IAdminConsoleGrain>(0).SearchUsersAsync(token, 0, 100);
            var exact = page.Users.Where(u => string.Equals(u.Name, token, StringComparison.Ordinal)).ToList();
            if (exact.Count != 1)
            {
                return ([], $"users: no user named {token}");
            }

            ids.Add(exact[0].Id);
        }

        return ([.. ids.Distinct()], null);
    }
}
