using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Data;

/// <summary>Reads message rows (1:1 or group) selected as <c>msgId, sender, created, type, content</c>.</summary>
public static class MessageRows
{
    /// <summary>Runs <paramref name="sql"/> with the parameters and returns its rows in order.</summary>
    public static async Task<ChatMessage[]> ReadAsync(MySqlConnection connection, string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        await using var query = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            query.Parameters.AddWithValue(name, value);
        }

        var messages = new List<ChatMessage>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            messages.Add(new ChatMessage(
                Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                Convert.ToUInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                Convert.ToUInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                Convert.ToUInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? [] : Encoding.UTF8.GetBytes(reader.GetString(4))));
        }

        return [.. messages];
    }
}
