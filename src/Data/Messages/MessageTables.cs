using System.Globalization;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>Names of the original sharded message tables.</summary>
public static class MessageTables
{
    private static readonly string[] Single = [.. Enumerable.Range(0, 8).Select(i => "IMMessage_" + i.ToString(CultureInfo.InvariantCulture))];
    private static readonly string[] Groups = [.. Enumerable.Range(0, 8).Select(i => "IMGroupMessage_" + i.ToString(CultureInfo.InvariantCulture))];

    /// <summary><c>IMMessage_&lt;relateId % 8&gt;</c>.</summary>
    public static string ForRelation(uint relateId) => Single[relateId % 8];

    /// <summary><c>IMGroupMessage_&lt;groupId % 8&gt;</c>.</summary>
    public static string ForGroup(uint groupId) => Groups[groupId % 8];

    /// <summary>The table holding a conversation's messages.</summary>
    public static string For(ConversationKind kind, uint conversationId) =>
        kind == ConversationKind.Group ? ForGroup(conversationId) : ForRelation(conversationId);
}
