using TeamTalk.Orleans.Grains;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>The conversation grains one connection talks to: its user's 1:1 sessions by peer and its groups, kept per connection.</summary>
internal sealed class ConversationGrains
{
    private const int MaxCached = 64;

    private readonly GrainReferenceCache<ISessionGrain> sessions = new(MaxCached);
    private readonly GrainReferenceCache<IGroupGrain> groups = new(MaxCached);

    /// <summary>The Session grain of the 1:1 conversation of <paramref name="self"/> with <paramref name="peer"/>.</summary>
    public ISessionGrain SessionWith(uint self, uint peer, IGrainFactory grains) =>
        sessions.Get(peer, (grains, self), static (state, peer) => state.grains.GetSingleSession(state.self, peer));

    /// <summary>The grain of group <paramref name="groupId"/>.</summary>
    public IGroupGrain Group(uint groupId, IGrainFactory grains) =>
        groups.Get(groupId, grains, static (grains, groupId) => grains.GetGroupGrain(groupId));

    /// <summary>The conversation a message or request of <paramref name="self"/> names: a 1:1 session with a peer, or a group.</summary>
    public IConversationGrain Conversation(bool group, uint self, uint sessionId, IGrainFactory grains) =>
        group ? Group(sessionId, grains) : SessionWith(self, sessionId, grains);
}
