using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using TeamTalk.Orleans.Data.Groups;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Groups;

/// <summary>
/// Creates groups and lists a user's groups; holds nothing, so it runs as a stateless worker on every silo. Creation
/// follows behaviour.md 3.7.3 with limits: a name of 1 to <see cref="GroupOptions.MaxNameChars"/> characters, members
/// that are users, at most <see cref="GroupOptions.MaxMembers"/> of them.
/// </summary>
[StatelessWorker]
public sealed partial class GroupDirectoryGrain(
    GroupStore store,
    UserStore users,
    IOptions<GroupOptions> options,
    TimeProvider time,
    ILogger<GroupDirectoryGrain> logger) : Grain, IGroupDirectoryGrain
{
    private readonly GroupOptions settings = options.Value;

    public async Task<GroupCreateResult> CreateAsync(GroupCreate request)
    {
        uint[] requested = [.. request.MemberIds.Where(id => id != 0).Distinct().Order()];
        var refusal = request.Name.Length == 0 ? "an empty name"
            : request.Name.Length > settings.MaxNameChars ? "a name too long"
            : request.Avatar.Length > settings.MaxNameChars ? "an avatar URL too long"
            : request.GroupType is not (GroupCreate.Normal or GroupCreate.Temporary) ? $"group type {request.GroupType}"
            : requested.Length == 0 ? "no members"
            : requested.Length > settings.MaxMembers ? $"more than {settings.MaxMembers} members"
            : null;
        if (refusal is null)
        {
            var existing = await users.ExistingAsync(requested);
            if (existing.Count != requested.Length)
            {
                refusal = $"{requested.Length - existing.Count} member ids that are no user";
            }
        }

        if (refusal is not null)
        {
            LogRefused(request.CreatorId, refusal);
            return new GroupCreateResult(0, requested);
        }

        var groupId = await store.CreateAsync(request.CreatorId, request.GroupType, request.Name, request.Avatar, requested, (uint)time.GetUtcNow().ToUnixTimeSeconds());
        LogCreated(groupId, request.CreatorId, requested.Length);
        return new GroupCreateResult(groupId, requested);
    }

    public Task<GroupVersion[]> GetNormalGroupsAsync(uint userId) => store.NormalGroupsAsync(userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group creation by user {UserId} refused: {Reason}")]
    private partial void LogRefused(uint userId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId} created by user {UserId} with {Members} members")]
    private partial void LogCreated(uint groupId, uint userId, int members);
}
