using StackExchange.Redis;
using TeamTalk.Orleans.Data.Import;

namespace TeamTalk.Orleans.Admin.Import;

/// <summary>
/// Reads the keys of an original TeamTalk deployment that hold state found nowhere else (behaviour.md 3.1.2) from one
/// Redis database, with SCAN (never KEYS). A key whose name or value is not what the original writes is listed in
/// <see cref="RedisSnapshot.Rejected"/> and otherwise ignored.
/// </summary>
internal sealed class RedisStateReader(IConnectionMultiplexer redis, int database)
{
    private const int PageSize = 1000;
    private const uint IosClientType = 0x11;
    private const uint AndroidClientType = 0x12;

    private readonly IDatabase db = redis.GetDatabase(database);
    private readonly IServer server = redis.GetServer(redis.GetEndPoints()[0]);
    private readonly List<string> rejected = [];

    public async Task<RedisSnapshot> ReadAsync()
    {
        var members = new List<ImportedMembers>();
        await foreach (var (key, group) in KeysWithIdAsync(RedisKeyNames.MembersPrefix, string.Empty))
        {
            var joinTimes = new Dictionary<uint, uint>();
            foreach (var entry in await HashAsync(key))
            {
                if (RedisKeyNames.TryId(entry.Name.ToString(), out var user) && RedisKeyNames.TryId(entry.Value.ToString(), out var joined))
                {
                    joinTimes[user] = joined;
                }
                else
                {
                    rejected.Add($"{key}: field '{entry.Name}' = '{entry.Value}' is not <user id> = <join time>");
                }
            }

            members.Add(new ImportedMembers(group, joinTimes));
        }

        var unread = new List<ImportedUnread>();
        await foreach (var (key, user) in KeysWithIdAsync(RedisKeyNames.UnreadPrefix, string.Empty))
        {
            foreach (var entry in await HashAsync(key))
            {
                if (RedisKeyNames.TryId(entry.Name.ToString(), out var peer) && RedisKeyNames.TryId(entry.Value.ToString(), out var count))
                {
                    unread.Add(new ImportedUnread(user, peer, count));
                }
                else
                {
                    rejected.Add($"{key}: field '{entry.Name}' = '{entry.Value}' is not <peer id> = <count>");
                }
            }
        }

        var groupCounts = new Dictionary<uint, uint>();
        await foreach (var (key, group) in KeysWithIdAsync(string.Empty, RedisKeyNames.GroupCountSuffix))
        {
            if (await CountAsync(key) is { } count)
            {
                groupCounts[group] = count;
            }
        }

        var reads = new List<ImportedGroupRead>();
        await foreach (var key in ScanAsync("*" + RedisKeyNames.UserGroupSuffix))
        {
            if (!RedisKeyNames.TryUserGroup(key, out var user, out var group))
            {
                rejected.Add($"{key}: not <user id>_<group id>{RedisKeyNames.UserGroupSuffix}");
            }
            else if (await CountAsync(key) is { } count)
            {
                reads.Add(new ImportedGroupRead(user, group, count, groupCounts.TryGetValue(group, out var total) ? total : null));
            }
        }

        var shields = new List<ImportedShield>();
        await foreach (var (key, group) in KeysWithIdAsync(RedisKeyNames.ShieldsPrefix, string.Empty))
        {
            foreach (var entry in await HashAsync(key))
            {
                var field = entry.Name.ToString();
                if (field.EndsWith(RedisKeyNames.ShieldFieldSuffix, StringComparison.Ordinal)
                    && RedisKeyNames.TryId(field.AsSpan(0, field.Length - RedisKeyNames.ShieldFieldSuffix.Length), out var user)
                    && RedisKeyNames.TryId(entry.Value.ToString(), out var status))
                {
                    shields.Add(new ImportedShield(group, user, status));
                }
                else
                {
                    rejected.Add($"{key}: field '{field}' = '{entry.Value}' is not <user id>_1 = <flag>");
                }
            }
        }

        return new RedisSnapshot(members, unread, reads, await ReadTokensAsync(), shields, rejected);
    }

    /// <summary>
    /// <c>device_&lt;uid&gt;</c> = <c>ios:&lt;token&gt;</c> / <c>android:&lt;token&gt;</c> are the tokens; the other
    /// <c>device_*</c> keys are the reverse index <c>device_&lt;token&gt;</c> = <c>&lt;uid&gt;</c>. An empty value is the
    /// original's "no token" (after a logout) and is skipped quietly.
    /// </summary>
    private async Task<List<ImportedToken>> ReadTokensAsync()
    {
        var forward = new List<(uint User, string Token, uint ClientType)>();
        var reverse = new Dictionary<string, uint?>(StringComparer.Ordinal);
        await foreach (var key in ScanAsync(RedisKeyNames.DevicePrefix + "*"))
        {
            var suffix = key[RedisKeyNames.DevicePrefix.Length..];
            string? value;
            try
            {
                value = await db.StringGetAsync(key);
            }
            catch (RedisServerException ex)
            {
                rejected.Add($"{key}: {ex.Message}");
                continue;
            }

            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var separator = value.IndexOf(':', StringComparison.Ordinal);
            var type = separator < 0 ? null : value[..separator];
            if (RedisKeyNames.TryId(suffix, out var user) && type is "ios" or "android")
            {
                var token = value[(separator + 1)..];
                if (token.Length is 0 or > Data.Devices.DeviceStore.MaxTokenLength)
                {
                    rejected.Add($"{key}: token of {token.Length} characters (1..{Data.Devices.DeviceStore.MaxTokenLength})");
                    continue;
                }

                forward.Add((user, token, type == "ios" ? IosClientType : AndroidClientType));
            }
            else if (RedisKeyNames.TryId(value, out var owner))
            {
                reverse[suffix] = owner;
            }
            else
            {
                rejected.Add($"{key}: '{value}' is neither ios:<token>, android:<token> nor a user id");
            }
        }

        return [.. forward.Select(f => new ImportedToken(f.User, f.Token, f.ClientType, reverse.GetValueOrDefault(f.Token)))];
    }

    /// <summary>Keys <c>prefix&lt;id&gt;suffix</c> (exactly one of the two empty) with their id; others are rejected.</summary>
    private async IAsyncEnumerable<(string Key, uint Id)> KeysWithIdAsync(string prefix, string suffix)
    {
        await foreach (var key in ScanAsync(prefix + "*" + suffix))
        {
            if (RedisKeyNames.TryId(key.AsSpan(prefix.Length, key.Length - prefix.Length - suffix.Length), out var id))
            {
                yield return (key, id);
            }
            else
            {
                rejected.Add($"{key}: no id where {prefix}<id>{suffix} has one");
            }
        }
    }

    private async IAsyncEnumerable<string> ScanAsync(string pattern)
    {
        await foreach (var key in server.KeysAsync(database, pattern, PageSize))
        {
            yield return key.ToString();
        }
    }

    private async Task<HashEntry[]> HashAsync(string key)
    {
        try
        {
            return await db.HashGetAllAsync(key);
        }
        catch (RedisServerException ex)
        {
            rejected.Add($"{key}: {ex.Message}");
            return [];
        }
    }

    /// <summary>The hash field <c>count</c> as a number; null (and the key rejected) when missing or not a number.</summary>
    private async Task<uint?> CountAsync(string key)
    {
        try
        {
            var value = await db.HashGetAsync(key, RedisKeyNames.CountField);
            if (RedisKeyNames.TryId(value.ToString(), out var count))
            {
                return count;
            }

            rejected.Add($"{key}: field count = '{value}' is not a number");
        }
        catch (RedisServerException ex)
        {
            rejected.Add($"{key}: {ex.Message}");
        }

        return null;
    }
}
