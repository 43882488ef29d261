using System.ComponentModel.DataAnnotations;
using MySqlConnector;

namespace TeamTalk.Orleans.Hosting;

/// <summary>Fail-fast validation of settings read before the host is built.</summary>
public static class SettingsValidation
{
    /// <summary>Validates data annotations; throws <see cref="InvalidOperationException"/> naming every bad setting.</summary>
    public static void Validate(object settings, string section)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            throw new InvalidOperationException(
                $"Invalid settings in {section}: " + string.Join("; ", results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        }
    }

    /// <summary>Checks that a MySqlConnector connection string parses and names a server and a database.</summary>
    public static void ValidateConnectionString(string connectionString)
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"TeamTalk:Database:ConnectionString is not a valid MySQL connection string: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Server) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new InvalidOperationException("TeamTalk:Database:ConnectionString must name a Server and a Database.");
        }
    }
}
