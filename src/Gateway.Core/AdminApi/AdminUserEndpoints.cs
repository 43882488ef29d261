using TeamTalk.Orleans.Gateway.AdminApi.Contracts;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// <c>/api/v1/users</c>: creation through the name's Login grain (two creations of one name are serialised there: one
/// is 409), reads from the directory, changes and departures through the user's profile grain (a departure kicks every
/// connection through the User grain; logins are refused from then on).
/// </summary>
internal static class AdminUserEndpoints
{
    private const string Location = "/api/v1/users/";

    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("users");
        users.MapPost("/", CreateAsync)
            .Accepts<UserFieldsRequest>("application/json")
            .Produces<CreatedResponse>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
        users.MapGet("/{id}", GetAsync)
            .Produces<UserResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        users.MapMethods("/{id}", [HttpMethods.Patch], UpdateAsync)
            .Accepts<UserFieldsRequest>("application/json")
            .Produces<UserResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
        users.MapDelete("/{id}", LeaveAsync)
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (body, refusal) = await JsonBody.ReadAsync(request, AdminApiJsonContext.Default.UserFieldsRequest);
        if (body is null)
        {
            return refusal!;
        }

        var missing = body.Name is null ? "name" : body.Password is null ? "password" : body.Nick is null ? "nick" : body.DepartmentId is null ? "departmentId"
            : body.Status is not null ? "status" : null;
        if (missing is not null)
        {
            return JsonBody.Error(missing == "status" ? "status: not set on creation (a new user has status 0)" : $"{missing}: required");
        }

        var user = new NewUser(body.Name!, body.Password!, body.Nick!, body.DepartmentId!.Value, body.Sex ?? 0,
            body.Phone ?? string.Empty, body.Email ?? string.Empty, body.Avatar ?? string.Empty, body.SignInfo ?? string.Empty);
        if (UserFields.Check(user) is { } invalid)
        {
            return JsonBody.Error(invalid);
        }

        var result = await grains.GetLoginGrain(user.Name).CreateUserAsync(user);
        return result.Status == AdminWriteStatus.Done ? AdminResults.Created(Location, result.Id) : AdminResults.Refused(result, "name");
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var userId, out var refusal))
        {
            return refusal!;
        }

        var found = await grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync([userId]);
        return found.Length == 0
            ? AdminResults.NotFound("user")
            : Results.Json(Map(found[0]), AdminApiJsonContext.Default.UserResponse);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var userId, out var refusal))
        {
            return refusal!;
        }

        var (body, bad) = await JsonBody.ReadAsync(request, AdminApiJsonContext.Default.UserFieldsRequest);
        if (body is null)
        {
            return bad!;
        }

        var update = new UserUpdate(body.Name, body.Password, body.Nick, body.DepartmentId, body.Sex, body.Phone, body.Email, body.Avatar, body.SignInfo, body.Status);
        if (update.IsEmpty)
        {
            return JsonBody.Error("body: no field to change");
        }

        if (UserFields.Check(update) is { } invalid)
        {
            return JsonBody.Error(invalid);
        }

        var result = await grains.GetGrain<IUserProfileGrain>(userId).UpdateAsync(update);
        if (result.Status != AdminWriteStatus.Done)
        {
            return AdminResults.Refused(result, result.Status == AdminWriteStatus.Duplicate ? "name" : "user");
        }

        var found = await grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync([userId]);
        return found.Length == 0 ? AdminResults.NotFound("user") : Results.Json(Map(found[0]), AdminApiJsonContext.Default.UserResponse);
    }

    private static async Task<IResult> LeaveAsync(string id, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var userId, out var refusal))
        {
            return refusal!;
        }

        var result = await grains.GetGrain<IUserProfileGrain>(userId).UpdateAsync(UserUpdate.Leave);
        return result.Status == AdminWriteStatus.Done ? Results.NoContent() : AdminResults.Refused(result, "user");
    }

    private static UserResponse Map(DirectoryUser user)
    {
        var p = user.Profile;
        return new UserResponse(p.UserId, p.RealName, p.NickName, p.DepartmentId, p.Gender, p.Phone, p.Email, p.AvatarUrl, p.SignInfo, user.Status, user.Updated);
    }
}
