using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Sql;

/// <summary>Reads columns as the original tables hold them (signed or unsigned ints of any width, nullable text).</summary>
public static class Columns
{
    /// <summary>An integer column as <see cref="uint"/>.</summary>
    public static uint Number(MySqlDataReader reader, int ordinal) => Convert.ToUInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A text column; NULL reads as empty.</summary>
    public static string Text(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);

    /// <summary>
    /// A message selected as <c>msgId, sender, created, type, content</c> from <paramref name="first"/> on
    /// (<see cref="Messages.MessageTable.Columns"/>).
    /// </summary>
    public static ChatMessage Message(MySqlDataReader reader, int first = 0) => new(
        Number(reader, first),
        Number(reader, first + 1),
        Number(reader, first + 2),
        (MessageType)Number(reader, first + 3),
        reader.IsDBNull(first + 4) ? [] : Encoding.UTF8.GetBytes(reader.GetString(first + 4)));
}
