namespace TeamTalk.Orleans.Grains.Models;

/// <summary>
/// The rules of the <c>IMUser</c> fields the back-office writes: the widths of their columns in characters (Unicode
/// code points, as MySQL counts a utf8mb4 <c>VARCHAR</c>) and the allowed numbers. <c>Check</c> names the first
/// field that breaks a rule, so the gateway can answer with it and the grain can refuse the same input.
/// </summary>
public static class UserFields
{
    /// <summary><c>IMUser.name</c> is <c>VARCHAR(32)</c>.</summary>
    public const int Name = 32;

    /// <summary>
    /// Longest name a login looks up: no <c>IMUser</c> row has a longer one (the column is <c>VARCHAR(32)</c> here and in the
    /// original; a deployment that widened it has room up to this). Longer names are refused at the gateway without a
    /// grain of their own.
    /// </summary>
    public const int MaxLoginName = 255;

    /// <summary><c>IMUser.nick</c> is <c>VARCHAR(32)</c>.</summary>
    public const int Nick = 32;

    /// <summary><c>IMUser.phone</c> is <c>VARCHAR(11)</c>.</summary>
    public const int Phone = 11;

    /// <summary><c>IMUser.email</c> is <c>VARCHAR(64)</c>.</summary>
    public const int Email = 64;

    /// <summary>Longest accepted plain password (only its salted hash is stored).</summary>
    public const int Password = 128;

    /// <summary>Largest <c>IMUser.sex</c> (0 unknown, 1 male, 2 female).</summary>
    public const uint MaxGender = 2;

    /// <summary>Largest <c>IMUser.status</c> (0, 1 trial, 2 regular, 3 left, 4 intern).</summary>
    public const uint MaxStatus = 4;

    /// <summary>The <c>IMUser.status</c> of a user who left: logins refused, connections kicked.</summary>
    public const uint StatusLeft = 3;

    /// <summary>The first rule <paramref name="user"/> breaks, as "field: reason"; null when it keeps them all.</summary>
    public static string? Check(NewUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Check(new UserUpdate(user.Name, user.Password, user.NickName, user.DepartmentId, user.Gender, user.Phone, user.Email, user.Avatar, user.SignInfo, null));
    }

    /// <summary>The first rule the fields set in <paramref name="update"/> break, as "field: reason"; null when none.</summary>
    public static string? Check(UserUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.Name is { } name && (name.Trim().Length == 0 || name.Any(char.IsWhiteSpace)) ? "name: must be non-empty without spaces"
            : TooLong(update.Name, Name, "name")
            ?? (update.Password is { Length: 0 } ? "password: must not be empty" : null)
            ?? TooLong(update.Password, Password, "password")
            ?? TooLong(update.NickName, Nick, "nick")
            ?? (update.DepartmentId is 0 ? "departmentId: must be a department id" : null)
            ?? (update.Gender > MaxGender ? $"sex: must be 0 to {MaxGender}" : null)
            ?? TooLong(update.Phone, Phone, "phone")
            ?? TooLong(update.Email, Email, "email")
            ?? TooLong(update.Avatar, ProfileLimits.Avatar, "avatar")
            ?? TooLong(update.SignInfo, ProfileLimits.SignInfo, "signInfo")
            ?? (update.Status > MaxStatus ? $"status: must be 0 to {MaxStatus}" : null);
    }

    /// <summary>Characters (code points) of <paramref name="value"/>.</summary>
    public static int Length(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.EnumerateRunes().Count();
    }

    private static string? TooLong(string? value, int max, string field) =>
        value is not null && value.Length > max && Length(value) > max ? $"{field}: longer than {max} characters" : null;
}
