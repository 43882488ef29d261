using System.Globalization;
using TeamTalk.Orleans.Gateway.AdminApi.Contracts;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>The answers the back-office endpoints share.</summary>
internal static class AdminResults
{
    public static IResult NotFound(string what) =>
        Results.Json(new ErrorResponse($"{what}: not found"), AdminApiJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string message) =>
        Results.Json(new ErrorResponse(message), AdminApiJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status409Conflict);

    /// <summary>201 with <c>{"id": id}</c> and <c>Location: {location}{id}</c>.</summary>
    public static IResult Created(string location, uint id) => new CreatedAt(
        location + id.ToString(CultureInfo.InvariantCulture),
        Results.Json(new CreatedResponse(id), AdminApiJsonContext.Default.CreatedResponse, statusCode: StatusCodes.Status201Created));

    /// <summary>An id in the path: a positive 32-bit number, or the 400 naming it.</summary>
    public static bool TryParseId(string text, out uint id, out IResult? refusal)
    {
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != 0)
        {
            refusal = null;
            return true;
        }

        refusal = JsonBody.Error("id: must be a positive integer");
        return false;
    }

    /// <summary>A write that was not done, as 400, 404 or 409.</summary>
    public static IResult Refused(AdminWriteResult result, string what) => result.Status switch
    {
        AdminWriteStatus.NotFound => NotFound(what),
        AdminWriteStatus.Duplicate => Conflict($"{what}: the name exists"),
        _ => JsonBody.Error(result.Error ?? "body: refused"),
    };

    /// <summary>A body with a <c>Location</c> header.</summary>
    private sealed class CreatedAt(string location, IResult body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return body.ExecuteAsync(httpContext);
        }
    }
}
