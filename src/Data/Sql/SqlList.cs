using System.Globalization;
using System.Text;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.Sql;

/// <summary>IN lists as parameters: every value is a parameter, never text in the SQL.</summary>
public static class SqlList
{
    /// <summary>Adds one parameter per value (<c>@{prefix}0</c>, …) and returns their comma-separated names.</summary>
    public static string Add<T>(MySqlCommand command, string prefix, IEnumerable<T> values)
    {
        var names = new StringBuilder();
        var i = 0;
        foreach (var value in values)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@{prefix}{i++}");
            command.Parameters.AddWithValue(name, value);
            names.Append(names.Length == 0 ? string.Empty : ",").Append(name);
        }

        return names.ToString();
    }
}
