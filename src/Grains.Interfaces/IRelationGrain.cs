namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per pair of users (a relation, in TeamTalk's words: the <c>IMRelationShip</c> row whose id picks the message
/// table), keyed by <see cref="GrainFactoryExtensions.RelationKey"/>: the pair's 1:1 conversation. Allocates its
/// message ids, makes each message durable in the original tables through the silo's batch committer before it is
/// acknowledged, then delivers committed messages in id order to every connection of both users (the sending
/// connection excepted). Answers history; only the two users may read it.
/// </summary>
public interface IRelationGrain : IGrainWithStringKey, IConversationGrain;
