using TeamTalk.Orleans.Gateway.AdminApi.Contracts;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// <c>/api/v1/groups</c>: creation through the group directory (as a client's create-group, normal groups allowed),
/// the group with its members and member changes through the Group grain (administrative: always allowed, every
/// connection of every current and changed member gets the group-change notify).
/// </summary>
internal static class AdminGroupEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("groups");
        groups.MapPost("/", CreateAsync)
            .Accepts<GroupRequest>("application/json")
            .Produces<CreatedResponse>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        groups.MapGet("/{id}", GetAsync)
            .Produces<GroupResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        groups.MapPost("/{id}/members", ChangeMembersAsync)
            .Accepts<GroupMembersRequest>("application/json")
            .Produces<GroupMembersResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (body, refusal) = await JsonBody.ReadAsync(request, AdminApiJsonContext.Default.GroupRequest);
        if (body is null)
        {
            return refusal!;
        }

        var missing = body.Name is null ? "name" : body.CreatorId is null ? "creatorId" : body.MemberIds is null ? "memberIds" : body.Type is null ? "type" : null;
        if (missing is not null)
        {
            return JsonBody.Error($"{missing}: required");
        }

        uint? type = body.Type switch { "normal" => GroupCreate.Normal, "temporary" => GroupCreate.Temporary, _ => null };
        if (type is null)
        {
            return JsonBody.Error("type: must be \"normal\" or \"temporary\"");
        }

        if (body.Name!.Trim().Length == 0)
        {
            return JsonBody.Error("name: must not be empty");
        }

        if (body.MemberIds!.Count == 0 || body.MemberIds.Contains(0u))
        {
            return JsonBody.Error("memberIds: one or more user ids, none 0");
        }

        if (await UnknownUserAsync(grains, [body.CreatorId!.Value]) is not null)
        {
            return JsonBody.Error("creatorId: no such user");
        }

        if (await UnknownUserAsync(grains, body.MemberIds) is { } unknown)
        {
            return JsonBody.Error($"memberIds: {unknown} is no user");
        }

        var created = await grains.GetGroupDirectory().CreateAsync(
            new GroupCreate(body.CreatorId.Value, body.Name, body.Avatar ?? string.Empty, [.. body.MemberIds], type.Value));
        return created.GroupId != 0
            ? AdminResults.Created("/api/v1/groups/", created.GroupId)
            : JsonBody.Error("body: refused (a name or avatar longer than 256 characters, or more members than the group limit)");
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var groupId, out var refusal))
        {
            return refusal!;
        }

        var info = await grains.GetGroupGrain(groupId).GetAdminInfoAsync();
        return info is null
            ? AdminResults.NotFound("group")
            : Results.Json(
                new GroupResponse(info.GroupId, info.Name, info.Avatar, info.CreatorId, info.GroupType == GroupCreate.Normal ? "normal" : "temporary", info.Version, info.Members),
                AdminApiJsonContext.Default.GroupResponse);
    }

    private static async Task<IResult> ChangeMembersAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var groupId, out var refusal))
        {
            return refusal!;
        }

        var (body, bad) = await JsonBody.ReadAsync(request, AdminApiJsonContext.Default.GroupMembersRequest);
        if (body is null)
        {
            return bad!;
        }

        uint[] add = [.. body.Add ?? []];
        uint[] remove = [.. body.Remove ?? []];
        if (add.Length + remove.Length == 0)
        {
            return JsonBody.Error("add: add or remove must list user ids");
        }

        if (add.Contains(0u) || remove.Contains(0u))
        {
            return JsonBody.Error(add.Contains(0u) ? "add: 0 is no user id" : "remove: 0 is no user id");
        }

        if (await UnknownUserAsync(grains, add) is { } unknown)
        {
            return JsonBody.Error($"add: {unknown} is no user");
        }

        var group = grains.GetGroupGrain(groupId);
        if (await group.GetAdminInfoAsync() is null)
        {
            return AdminResults.NotFound("group");
        }

        uint[] added = [];
        uint[] removed = [];
        uint[] members = [];
        if (add.Length > 0)
        {
            var result = await group.ChangeMembersAsync(GroupChange.Administrative(GroupChangeType.Add, add));
            if (Failed(result) is { } failed)
            {
                return failed;
            }

            (added, members) = (result.Changed, result.CurrentMembers);
        }

        if (remove.Length > 0)
        {
            var result = await group.ChangeMembersAsync(GroupChange.Administrative(GroupChangeType.Remove, remove));
            if (Failed(result) is { } failed)
            {
                return failed;
            }

            (removed, members) = (result.Changed, result.CurrentMembers);
        }

        return Results.Json(new GroupMembersResponse(members, added, removed), AdminApiJsonContext.Default.GroupMembersResponse);
    }

    private static IResult? Failed(GroupChangeResult result) => result.Status switch
    {
        GroupChangeStatus.NoSuchGroup => AdminResults.NotFound("group"),
        GroupChangeStatus.Refused => JsonBody.Error("add: more members than the group limit"),
        _ => null,
    };

    /// <summary>The first of <paramref name="ids"/> that is no user; null when all are.</summary>
    internal static async Task<uint?> UnknownUserAsync(IGrainFactory grains, IEnumerable<uint> ids)
    {
        uint[] distinct = [.. ids.Distinct()];
        if (distinct.Length == 0)
        {
            return null;
        }

        var found = (await grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync(distinct)).Select(u => u.Profile.UserId).ToHashSet();
        return distinct.Where(id => !found.Contains(id)).Select(id => (uint?)id).FirstOrDefault();
    }
}
