using TeamTalk.Orleans.Gateway.AdminApi.Contracts;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary><c>/api/v1/departments</c>: creation and the list, through the organisation directory grain.</summary>
internal static class AdminDepartmentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var departments = api.MapGroup("/departments").WithTags("departments");
        departments.MapPost("/", CreateAsync)
            .Accepts<DepartmentRequest>("application/json")
            .Produces<CreatedResponse>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
        departments.MapGet("/", ListAsync).Produces<DepartmentResponse[]>();
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (body, refusal) = await JsonBody.ReadAsync(request, AdminApiJsonContext.Default.DepartmentRequest);
        if (body is null)
        {
            return refusal!;
        }

        if (body.Name is null || body.ParentId is null)
        {
            return JsonBody.Error(body.Name is null ? "name: required" : "parentId: required (0 for a top-level department)");
        }

        var result = await grains.GetGrain<IOrgDirectoryGrain>(0).CreateDepartmentAsync(new NewDepartment(body.Name, body.ParentId.Value, body.Priority ?? 0));
        return result.Status == AdminWriteStatus.Done
            ? AdminResults.Created("/api/v1/departments/", result.Id)
            : AdminResults.Refused(result, "department");
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var all = await grains.GetGrain<IOrgDirectoryGrain>(0).GetDepartmentsChangedSinceAsync(0);
        DepartmentResponse[] list = [.. all.Departments.Select(d => new DepartmentResponse(d.DepartmentId, d.Name, d.ParentId, d.Priority, d.Status, d.Updated))];
        return Results.Json(list, AdminApiJsonContext.Default.DepartmentResponseArray);
    }
}
