using System.Globalization;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>
/// Where a conversation's messages live: the original sharded table (<c>IMMessage_&lt;relateId % 8&gt;</c> or
/// <c>IMGroupMessage_&lt;groupId % 8&gt;</c>), its column names, the order of its page index, and our id watermark
/// table. One description serves both kinds of conversation.
/// </summary>
public sealed class MessageTable
{
    private static readonly MessageTable[] Pairs = [.. Enumerable.Range(0, 8).Select(i => new MessageTable(ConversationKind.Pair, i))];
    private static readonly MessageTable[] Groups = [.. Enumerable.Range(0, 8).Select(i => new MessageTable(ConversationKind.Group, i))];

    private MessageTable(ConversationKind kind, int shard)
    {
        Kind = kind;
        var group = kind == ConversationKind.Group;
        Name = (group ? "IMGroupMessage_" : "IMMessage_") + shard.ToString(CultureInfo.InvariantCulture);
        Conversation = group ? "groupId" : "relateId";
        Sender = group ? "userId" : "fromId";
        Columns = "msgId, " + Sender + ", created, type, content";

        // Exactly the page index read backwards, so MariaDB reads only the page and sorts nothing:
        // (relateId, status, msgId, created) for pairs, (groupId, msgId, status, created) for groups.
        PageOrder = group ? "msgId DESC, status DESC, created DESC, id DESC" : "msgId DESC, created DESC, id DESC";
        Watermark = group ? "TeamTalkGroupMsgIdWatermark" : "TeamTalkMsgIdWatermark";
    }

    public ConversationKind Kind { get; }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The conversation column: <c>relateId</c> or <c>groupId</c>.</summary>
    public string Conversation { get; }

    /// <summary>The sender column: <c>fromId</c> or <c>userId</c>.</summary>
    public string Sender { get; }

    /// <summary>What every message read selects, in the order <see cref="Sql.Columns.Message"/> reads it: <c>msgId, &lt;sender&gt;, created, type, content</c>.</summary>
    public string Columns { get; }

    /// <summary>Newest first, in the order of the table's page index.</summary>
    public string PageOrder { get; }

    /// <summary>Our table of the highest id ever committed per conversation (keyed by <see cref="Conversation"/>).</summary>
    public string Watermark { get; }

    /// <summary>The table of a conversation.</summary>
    public static MessageTable For(ConversationKind kind, uint conversationId) =>
        (kind == ConversationKind.Group ? Groups : Pairs)[conversationId % 8];

    /// <summary>The table of a pair's messages (<c>IMMessage_&lt;relateId % 8&gt;</c>).</summary>
    public static MessageTable ForRelation(uint relateId) => Pairs[relateId % 8];

    /// <summary>The table of a group's messages (<c>IMGroupMessage_&lt;groupId % 8&gt;</c>).</summary>
    public static MessageTable ForGroup(uint groupId) => Groups[groupId % 8];

    /// <summary>
    /// A page of one conversation, newest first: <paramref name="conversation"/> and <paramref name="limit"/> name the
    /// parameters; <paramref name="filter"/> adds conditions (parameters only, never values); <paramref name="lead"/>
    /// selects more before the message's columns.
    /// </summary>
    public string Page(string filter, string conversation = "@c", string limit = "@limit", string lead = "") =>
        $"SELECT {lead}{Columns} FROM {Name} WHERE {Conversation} = {conversation} AND {filter} ORDER BY {PageOrder} LIMIT {limit}";
}
