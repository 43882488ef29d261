using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Users;

/// <summary>The <c>IMUser</c> columns of a <see cref="UserProfile"/>, selected first and read in that order.</summary>
internal static class ProfileColumns
{
    /// <summary>What a query selects first (10 columns).</summary>
    public const string Select = "id, sex, nick, avatar, departId, email, name, phone, domain, sign_info";

    /// <summary>How many columns <see cref="Select"/> names.</summary>
    public const int Count = 10;

    /// <summary>Reads the profile from columns 0 to 9.</summary>
    public static UserProfile Read(MySqlDataReader reader) => new(
        UserId: Columns.Number(reader, 0),
        Gender: Columns.Number(reader, 1),
        NickName: Columns.Text(reader, 2),
        AvatarUrl: Columns.Text(reader, 3),
        DepartmentId: Columns.Number(reader, 4),
        Email: Columns.Text(reader, 5),
        RealName: Columns.Text(reader, 6),
        Phone: Columns.Text(reader, 7),
        Domain: Columns.Text(reader, 8),
        SignInfo: Columns.Text(reader, 9));
}
