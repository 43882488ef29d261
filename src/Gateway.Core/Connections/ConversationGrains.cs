using TeamTalk.Orleans.Grains;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>The conversation grains one connection talks to: its user's relations by peer and its groups, kept per connection.</summary>
internal sealed class ConversationGrains
{
    private const int MaxCached = 64;

    private readonly GrainReferenceCache<IRelationGrain> relations = new(MaxCached);
    private readonly GrainReferenceCache<IGroupGrain> groups = new(MaxCached);

    /// <summary>The Relation grain (the 1:1 conversation) of <paramref name="self"/> and <paramref name="peer"/>.</summary>
    public IRelationGrain RelationWith(uint self, uint peer, IGrainFactory grains) =>
        relations.Get(peer, (grains, self), static (state, peer) => state.grains.GetRelationGrain(state.self, peer));

    /// <summary>The grain of group <paramref name="groupId"/>.</summary>
    public IGroupGrain Group(uint groupId, IGrainFactory grains) =>
        groups.Get(groupId, grains, static (grains, groupId) => grains.GetGroupGrain(groupId));

    /// <summary>The conversation a message or request of <paramref name="self"/> names: the relation with a peer, or a group.</summary>
    public IConversationGrain Conversation(bool group, uint self, uint sessionId, IGrainFactory grains) =>
        group ? Group(sessionId, grains) : RelationWith(self, sessionId, grains);
}
