namespace TeamTalk.Orleans.Data.Messages;

/// <summary>The two kinds of conversation: a user pair (rows in <c>IMMessage_n</c>) or a group (<c>IMGroupMessage_n</c>).</summary>
public enum ConversationKind
{
    /// <summary>1:1: the conversation id is the <c>IMRelationShip</c> id.</summary>
    Pair = 1,

    /// <summary>A group: the conversation id is the <c>IMGroup</c> id.</summary>
    Group = 2,
}
