using System.Globalization;

namespace TeamTalk.Orleans.Grains.Messaging;

/// <summary>Names of the original sharded message tables.</summary>
public static class MessageTables
{
    private static readonly string[] Single = [.. Enumerable.Range(0, 8).Select(i => "IMMessage_" + i.ToString(CultureInfo.InvariantCulture))];

    /// <summary><c>IMMessage_&lt;relateId % 8&gt;</c>.</summary>
    public static string ForRelation(uint relateId) => Single[relateId % 8];
}
