namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per 1:1 conversation (key from <see cref="GrainFactoryExtensions.GetSingleSession"/>): allocates the
/// conversation's message ids (from 1, strictly increasing in accept order, never reused), makes each message durable
/// in the original tables through the silo's batch committer before it is acknowledged, then delivers committed
/// messages in id order to every connection of both parties. Answers history; only the two parties may read it.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey, IConversationGrain;
