using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Data.Devices;
using TeamTalk.Orleans.Data.Push;
using TeamTalk.Orleans.Data.Sessions;
using TeamTalk.Orleans.Grains.Groups;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>
/// Who gets a push for a batch of committed messages, and what it says (behaviour.md 3.9, docs/architecture.md "Push"):
/// a candidate with a stored token, no live mobile connection, and not shielded at night; one notification per token,
/// badge = the receiver's unread total. The batch costs one token query, one user query and one unread-total query (a
/// second for the group counts when a receiver is in a group) whatever its size; User grains are asked only about
/// receivers who have a token. Receivers whose delivery already found a live mobile connection never reach it
/// (<see cref="PushService.Enqueue"/>).
/// </summary>
public sealed class PushDecider : IDisposable
{
    private readonly DeviceStore devices;
    private readonly PushStore users;
    private readonly SessionStore sessions;
    private readonly int groupUnreadCap;
    private readonly IGrainFactory grains;
    private readonly TimeProvider time;
    private readonly PushMetrics metrics;
    private readonly PushOptions settings;
    private readonly TimeZoneInfo? zone;
    private readonly TextCipher? cipher;

    public PushDecider(
        DeviceStore devices, PushStore users, SessionStore sessions, IGrainFactory grains, TimeProvider time, PushMetrics metrics, IOptions<PushOptions> options, IOptions<GroupOptions> groups)
    {
        this.devices = devices;
        this.users = users;
        this.sessions = sessions;
        groupUnreadCap = groups.Value.MaxUnreadCount;
        this.grains = grains;
        this.time = time;
        this.metrics = metrics;
        settings = options.Value;
        zone = settings.TimeZone.Length > 0 ? TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone) : null;
        cipher = settings.AesKey.Length > 0 ? new TextCipher(settings.AesKey) : null;
    }

    /// <summary>The notifications for <paramref name="batch"/>, in the batch's order.</summary>
    public async Task<List<PushNotification>> DecideAsync(IReadOnlyList<PushRequest> batch)
    {
        var notifications = new List<PushNotification>();
        var candidates = new HashSet<uint>();
        var requested = 0;
        foreach (var request in batch)
        {
            requested += request.Receivers.Length;
            candidates.UnionWith(request.Receivers);
        }

        var tokens = new Dictionary<uint, List<(string Token, DeviceType Device)>>();
        foreach (var (userId, token, clientType) in await devices.GetTokensAsync(candidates))
        {
            if (!tokens.TryGetValue(userId, out var list))
            {
                tokens[userId] = list = [];
            }

            list.Add((token, (DeviceType)clientType));
        }

        metrics.Skipped("no_token", requested - batch.Sum(r => r.Receivers.Count(tokens.ContainsKey)));
        if (tokens.Count == 0)
        {
            return notifications;
        }

        var ids = new HashSet<uint>(tokens.Keys);
        ids.UnionWith(batch.Select(r => r.Message.FromUserId));
        var rows = await users.UsersAsync(ids);
        var eligible = await EligibleAsync(tokens.Keys, rows);
        if (eligible.Count == 0)
        {
            return notifications;
        }

        var badges = await sessions.UnreadTotalsAsync(eligible, groupUnreadCap);
        foreach (var request in batch)
        {
            var m = request.Message;
            var alert = PushText.For(m, rows.GetValueOrDefault(m.FromUserId)?.Nick, cipher);
            foreach (var receiver in request.Receivers)
            {
                if (eligible.Contains(receiver) && receiver != m.FromUserId)
                {
                    foreach (var (token, device) in tokens[receiver])
                    {
                        notifications.Add(new PushNotification(token, device, receiver, alert, badges.GetValueOrDefault(receiver), m.MsgType, m.FromUserId, request.GroupId, m.MsgId));
                    }
                }
            }
        }

        return notifications;
    }

    public void Dispose() => cipher?.Dispose();

    /// <summary>The users with tokens who get pushes now: no live mobile connection, and not shielded during the quiet hours.</summary>
    private async Task<HashSet<uint>> EligibleAsync(IEnumerable<uint> withTokens, Dictionary<uint, PushUserRow> rows)
    {
        var now = time.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, zone ?? time.LocalTimeZone);
        var quiet = QuietHours.Contains(local, settings.QuietFrom, settings.QuietUntil);
        var checks = new List<(uint User, Task<UserConnection[]> Connections)>();
        foreach (var user in withTokens)
        {
            if (quiet && rows.GetValueOrDefault(user)?.ShieldStatus == 1)
            {
                metrics.Skipped("shield");
                continue;
            }

            checks.Add((user, grains.GetUserGrain(user).GetConnectionsAsync()));
        }

        await Task.WhenAll(checks.Select(c => c.Connections));
        var eligible = new HashSet<uint>();
        foreach (var (user, connections) in checks)
        {
            if (connections.Result.Any(c => c.Device.IsMobile()))
            {
                metrics.Skipped("mobile_online");
            }
            else
            {
                eligible.Add(user);
            }
        }

        return eligible;
    }
}
