using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Relations;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Conversations;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Push;

namespace TeamTalk.Orleans.Grains.Relations;

/// <summary>
/// One pair of users and their 1:1 conversation (<see cref="Conversation"/>: ids, durable append, delivery in id
/// order, history) for the pair: committed messages go to every connection of both users but the sending one.
/// The <c>IMRelationShip</c> row and both users' <c>IMRecentSession</c> rows are created (or found) before the
/// activation's first message.
/// </summary>
public sealed class RelationGrain(
    RelationStore relations,
    UserStore users,
    MessageStore messages,
    AudioHistory audio,
    MessageCommitter committer,
    PushService push,
    IGrainFactory grains,
    IOptions<MemberDeliveryOptions> delivery,
    TimeProvider time,
    ILogger<RelationGrain> logger) : Grain, IRelationGrain
{
    private uint small;
    private uint big;
    private IUserGrain? smallUser;
    private IUserGrain? bigUser;
    private bool usersExist;
    private uint relateId;
    private int[]? recentSessionIds;
    private Task? ensuring;
    private uint[] pair = [];
    private Conversation? conversation;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split(':');
        if (parts is not [var a, var b]
            || !uint.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out small)
            || !uint.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out big))
        {
            throw new InvalidOperationException($"Not a relation key: {this.GetPrimaryKeyString()}");
        }

        // Resolved once: GetGrain costs a type lookup each time, which adds up at thousands of messages per second.
        smallUser = grains.GetUserGrain(small);
        bigUser = grains.GetUserGrain(big);
        usersExist = small != big && (await users.ExistingAsync([small, big])).Count == 2;
        relateId = await relations.FindAsync(small, big);
        var tail = relateId == 0 ? new ConversationTail(0, null) : await messages.LoadTailAsync(ConversationKind.Pair, relateId);
        pair = [small, big];
        conversation = new Conversation(
            ConversationKind.Pair, this.GetPrimaryKeyString(), tail, committer, messages, audio, User, DeactivateOnIdle, delivery.Value, time, logger);
    }

    /// <summary>Acknowledged messages still on their way to a lagging member are delivered before the activation goes (bounded by Orleans' deactivation timeout).</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        conversation?.WhenDeliveredAsync(cancellationToken) ?? Task.CompletedTask;

    public async Task<SendResult> SendAsync(SendMessage message)
    {
        if (!IsParty(message.FromUserId) || !IsParty(message.ToSessionId) || message.FromUserId == message.ToSessionId)
        {
            throw new ArgumentException($"{message.FromUserId} → {message.ToSessionId} is not relation {small}:{big}", nameof(message));
        }

        if (!usersExist)
        {
            return new SendResult(SendStatus.UnknownPeer, 0, 0);
        }

        if (recentSessionIds is null)
        {
            await EnsureRowsAsync();
        }

        var created = Now();
        var (stored, onMobile) = await conversation!.AppendAsync(message, created, pair, (id, text, token) =>
            PendingMessage.ForPair(relateId, message.FromUserId, message.ToSessionId, id, created, message.MsgType, text, token, recentSessionIds!));
        push.Enqueue(new PushRequest(stored, 0, [message.ToSessionId]), onMobile);
        return new SendResult(SendStatus.Committed, stored.MsgId, created);
    }

    public async Task<ChatMessage[]> GetHistoryAsync(uint requester, uint msgIdBegin, uint count) =>
        IsParty(requester) && relateId != 0 ? await conversation!.HistoryAsync(relateId, msgIdBegin, count, since: 0) : [];

    public async Task<ChatMessage[]> GetByIdsAsync(uint requester, uint[] msgIds) =>
        IsParty(requester) && relateId != 0 ? await conversation!.ByIdsAsync(relateId, msgIds, since: 0) : [];

    public Task<ChatMessage?> GetLatestAsync(uint requester) => Task.FromResult(IsParty(requester) ? conversation!.Latest : null);

    private bool IsParty(uint userId) => userId == small || userId == big;

    private uint Now() => (uint)time.GetUtcNow().ToUnixTimeSeconds();

    private IUserGrain User(uint userId) => userId == small ? smallUser! : bigUser!;

    /// <summary>Creates the relation and recent-session rows on the first send (once per activation; callers share it).</summary>
    private async Task EnsureRowsAsync()
    {
        var task = ensuring ??= CreateRowsAsync();
        try
        {
            await task;
        }
        catch
        {
            ensuring = null;
            throw;
        }
    }

    private async Task CreateRowsAsync()
    {
        var now = Now();
        if (relateId == 0)
        {
            relateId = await relations.EnsureRelationAsync(small, big, now);
        }

        recentSessionIds = await relations.EnsureRecentSessionsAsync(small, big, now);
    }
}
