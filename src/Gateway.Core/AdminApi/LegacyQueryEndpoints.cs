using System.Text.Encodings.Web;
using System.Text.Json;
using TeamTalk.Orleans.Gateway.AdminApi.Contracts;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// The original http_msg_server's two requests (behaviour.md 2.3), with their bodies and answers, so an existing admin
/// tool keeps working: <c>POST /query/CreateGroup</c> (creator 0, nobody notified) and <c>POST /query/ChangeMembers</c>
/// (requester 0, always allowed, changed and current members notified). Unlike the original (defect 9) the key is
/// checked: the body's <c>app_key</c> or an <c>Authorization: Bearer</c> header must be one of the keys, else 401
/// with <c>error_code</c> 2. Answers are 200 with the original's <c>error_code</c>/<c>error_msg</c>, as it sent them.
/// </summary>
internal static partial class LegacyQueryEndpoints
{
    private const string ContentType = "text/html;charset=utf-8";

    private static readonly LegacyJsonContext Relaxed = new(new JsonSerializerOptions(LegacyJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly LegacyResponse Success = new(0, "成功");
    private static readonly LegacyResponse BadParameters = new(1, "参数错误");
    private static readonly LegacyResponse BadKey = new(2, "认证失败");
    private static readonly LegacyResponse ServerError = new(10, "服务器异常");

    public static void Map(IEndpointRouteBuilder app)
    {
        var query = app.MapGroup("/query").WithTags("original http_msg_server").WithMetadata(AdminApiEndpoint.BodyKey);
        query.MapPost("/CreateGroup", CreateGroupAsync)
            .Accepts<LegacyCreateGroupRequest>("application/json")
            .Produces<LegacyResponse>(contentType: ContentType);
        query.MapPost("/ChangeMembers", ChangeMembersAsync)
            .Accepts<LegacyChangeMembersRequest>("application/json")
            .Produces<LegacyResponse>(contentType: ContentType);
    }

    private static async Task<IResult> CreateGroupAsync(HttpRequest request, IGrainFactory grains, AdminApiKeyRing keys, ILoggerFactory logs)
    {
        var (body, refusal) = await JsonBody.ReadAsync(request, Relaxed.LegacyCreateGroupRequest);
        if (Refuse(request, keys, body?.AppKey, refusal) is { } refused)
        {
            return refused;
        }

        if (body!.ReqUserId is null || body.GroupName is null || body.GroupType is not (GroupCreate.Normal or GroupCreate.Temporary) || body.GroupAvatar is null || body.UserIdList is null)
        {
            return Answer(BadParameters);
        }

        try
        {
            var created = await grains.GetGroupDirectory().CreateAsync(new GroupCreate(0, body.GroupName, body.GroupAvatar, [.. body.UserIdList], body.GroupType.Value));
            return Answer(created.GroupId != 0 ? Success with { GroupId = created.GroupId } : new LegacyResponse(11, "创建群失败", 0));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogClusterUnavailable(Logger(logs), ex, "CreateGroup");
            return Answer(ServerError with { GroupId = 0 });
        }
    }

    private static async Task<IResult> ChangeMembersAsync(HttpRequest request, IGrainFactory grains, AdminApiKeyRing keys, ILoggerFactory logs)
    {
        var (body, refusal) = await JsonBody.ReadAsync(request, Relaxed.LegacyChangeMembersRequest);
        if (Refuse(request, keys, body?.AppKey, refusal) is { } refused)
        {
            return refused;
        }

        if (body!.ReqUserId is null || body.GroupId is null || body.ModifyType is not ((uint)GroupChangeType.Add or (uint)GroupChangeType.Remove) || body.UserIdList is null)
        {
            return Answer(BadParameters);
        }

        try
        {
            var change = GroupChange.Administrative((GroupChangeType)body.ModifyType.Value, [.. body.UserIdList]);
            var result = await grains.GetGroupGrain(body.GroupId.Value).ChangeMembersAsync(change);
            return Answer(result.Status == GroupChangeStatus.Done ? Success : new LegacyResponse(12, "更改群成员失败"));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogClusterUnavailable(Logger(logs), ex, "ChangeMembers");
            return Answer(ServerError);
        }
    }

    /// <summary>
    /// The answer when the request cannot go on: 401 (error_code 2) without a valid key (header or <c>app_key</c>);
    /// then 413 for a body too large; error_code 1 for a body that is no JSON object of the expected shape.
    /// </summary>
    private static IResult? Refuse(HttpRequest request, AdminApiKeyRing keys, string? appKey, IResult? bodyRefusal) =>
        !Authorized(request, keys, appKey) ? Answer(BadKey, StatusCodes.Status401Unauthorized)
        : bodyRefusal is IStatusCodeHttpResult { StatusCode: StatusCodes.Status413PayloadTooLarge } ? bodyRefusal
        : bodyRefusal is not null ? Answer(BadParameters)
        : null;

    private static ILogger Logger(ILoggerFactory logs) => logs.CreateLogger(typeof(LegacyQueryEndpoints).FullName!);

    /// <summary>True when the header's bearer key or the body's <c>app_key</c> is one of the keys.</summary>
    private static bool Authorized(HttpRequest request, AdminApiKeyRing keys, string? appKey) =>
        keys.Matches(AdminApiKeyRing.BearerKey(request)) | keys.Matches(appKey);

    private static IResult Answer(LegacyResponse response, int status = StatusCodes.Status200OK) =>
        Results.Text(JsonSerializer.Serialize(response, Relaxed.LegacyResponse), ContentType, System.Text.Encoding.UTF8, status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Back-office request {Request}: the cluster cannot be reached (answered error_code 10)")]
    private static partial void LogClusterUnavailable(ILogger logger, Exception exception, string request);
}
