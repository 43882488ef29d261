using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>
/// Reads messages of either kind of conversation (<see cref="MessageTable"/>): where a conversation stands, history
/// pages, messages by id, and the newest message of many conversations at once. Writes go through
/// <see cref="MessageBatchWriter"/>.
/// </summary>
public sealed class MessageStore(Database database)
{
    /// <summary>The highest id ever committed in the conversation and its newest message.</summary>
    public async Task<ConversationTail> LoadTailAsync(ConversationKind kind, uint conversationId)
    {
        var table = MessageTable.For(kind, conversationId);
        await using var connection = await database.OpenAsync();
        await using var command = new MySqlCommand(
            $"""
            SELECT GREATEST(COALESCE((SELECT lastMsgId FROM {table.Watermark} WHERE {table.Conversation} = @c), 0), COALESCE((SELECT MAX(msgId) FROM {table.Name} WHERE {table.Conversation} = @c), 0));
            {table.Page("status = 0")};
            """,
            connection);
        command.Parameters.AddWithValue("@c", conversationId);
        command.Parameters.AddWithValue("@limit", 1);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var last = Columns.Number(reader, 0);
        await reader.NextResultAsync();
        var latest = await reader.ReadAsync() ? Columns.Message(reader) : null;
        return new ConversationTail(last, latest);
    }

    /// <summary>
    /// Newest first: messages with id ≤ <paramref name="msgIdBegin"/> (0: from the newest) created at or after
    /// <paramref name="since"/>, at most <paramref name="count"/>.
    /// </summary>
    public async Task<ChatMessage[]> HistoryAsync(ConversationKind kind, uint conversationId, uint msgIdBegin, uint count, uint since)
    {
        var table = MessageTable.For(kind, conversationId);
        await using var connection = await database.OpenAsync();
        await using var command = new MySqlCommand { Connection = connection };
        var filter = new StringBuilder("status = 0");
        if (msgIdBegin != 0)
        {
            filter.Append(" AND msgId <= @begin");
            command.Parameters.AddWithValue("@begin", msgIdBegin);
        }

        return await ReadPageAsync(command, table, conversationId, Since(command, filter, since), count);
    }

    /// <summary>The messages with the given ids created at or after <paramref name="since"/>, newest first.</summary>
    public async Task<ChatMessage[]> ByIdsAsync(ConversationKind kind, uint conversationId, IReadOnlyCollection<uint> msgIds, uint since)
    {
        if (msgIds.Count == 0)
        {
            return [];
        }

        var table = MessageTable.For(kind, conversationId);
        await using var connection = await database.OpenAsync();
        await using var command = new MySqlCommand { Connection = connection };
        var filter = new StringBuilder("status = 0 AND msgId IN (").Append(SqlList.Add(command, "m", msgIds)).Append(')');
        return await ReadPageAsync(command, table, conversationId, Since(command, filter, since), (uint)msgIds.Count);
    }

    /// <summary>
    /// The newest message of each conversation, in one statement (one index read per conversation); conversations
    /// without a message are absent.
    /// </summary>
    public async Task<Dictionary<(ConversationKind Kind, uint Id), ChatMessage>> LatestAsync(IReadOnlyCollection<(ConversationKind Kind, uint Id)> conversations)
    {
        var found = new Dictionary<(ConversationKind, uint), ChatMessage>();
        if (conversations.Count == 0)
        {
            return found;
        }

        await using var connection = await database.OpenAsync();
        await using var command = new MySqlCommand { Connection = connection };
        command.Parameters.AddWithValue("@one", 1);
        var sql = new StringBuilder();
        var i = 0;
        foreach (var (kind, id) in conversations)
        {
            var c = string.Create(CultureInfo.InvariantCulture, $"@c{i}");
            command.Parameters.AddWithValue(c, id);
            var table = MessageTable.For(kind, id);
            sql.Append(i == 0 ? "(" : " UNION ALL (")
                .Append(table.Page("status = 0", c, "@one", string.Create(CultureInfo.InvariantCulture, $"{(int)kind} AS k, {c} AS conversation, "))).Append(')');
            i++;
        }

        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[((ConversationKind)reader.GetInt32(0), Columns.Number(reader, 1))] = Columns.Message(reader, 2);
        }

        return found;
    }

    private static string Since(MySqlCommand command, StringBuilder filter, uint since)
    {
        if (since != 0)
        {
            filter.Append(" AND created >= @since");
            command.Parameters.AddWithValue("@since", since);
        }

        return filter.ToString();
    }

    private static async Task<ChatMessage[]> ReadPageAsync(MySqlCommand command, MessageTable table, uint conversationId, string filter, uint limit)
    {
        command.CommandText = table.Page(filter);
        command.Parameters.AddWithValue("@c", conversationId);
        command.Parameters.AddWithValue("@limit", limit);
        var messages = new List<ChatMessage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            messages.Add(Columns.Message(reader));
        }

        return [.. messages];
    }
}
