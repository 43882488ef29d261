using System.Globalization;
using System.Text;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.Sql;

/// <summary>
/// An UPDATE of one row by id that sets only the columns given a value (each value a parameter, never text in the
/// SQL) and moves the row's <c>updated</c> time forward. Column and table names are the caller's constants.
/// </summary>
/// <param name="command">The command the statement and its parameters go into.</param>
public sealed class PartialUpdate(MySqlCommand command)
{
    private readonly StringBuilder sets = new("updated = GREATEST(updated, UNIX_TIMESTAMP())");

    /// <summary>Sets <paramref name="column"/> to <paramref name="value"/>; nothing when the value is null.</summary>
    public void Set(string column, object? value)
    {
        if (value is null)
        {
            return;
        }

        var parameter = string.Create(CultureInfo.InvariantCulture, $"@p{command.Parameters.Count}");
        command.Parameters.AddWithValue(parameter, value);
        sets.Append(", ").Append(column).Append(" = ").Append(parameter);
    }

    /// <summary>Makes the command the UPDATE of row <paramref name="id"/> of <paramref name="table"/>.</summary>
    public void OfRow(string table, uint id)
    {
        command.Parameters.AddWithValue("@id", id);
        command.CommandText = $"UPDATE {table} SET {sets} WHERE id = @id";
    }
}
