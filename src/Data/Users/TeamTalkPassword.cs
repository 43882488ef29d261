using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TeamTalk.Orleans.Data.Users;

/// <summary>
/// The TeamTalk password scheme (behaviour.md 4.1): clients send md5(plain) as lowercase hex;
/// IMUser.password = md5(clientHash + salt) as lowercase hex; salt is a decimal string 0..9999.
/// MD5 is what existing clients and databases use, so it cannot change here.
/// </summary>
public static class TeamTalkPassword
{
    /// <summary>lowercase hex md5(<paramref name="clientMd5Hex"/> + <paramref name="salt"/>): the value stored in IMUser.password.</summary>
    public static string HashForStorage(string clientMd5Hex, string salt)
    {
        ArgumentNullException.ThrowIfNull(clientMd5Hex);
        ArgumentNullException.ThrowIfNull(salt);
        return Md5Hex(clientMd5Hex + salt);
    }

    /// <summary>lowercase hex md5(<paramref name="plain"/>): what a client sends as IMLoginReq.password.</summary>
    public static string ClientHash(string plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        return Md5Hex(plain);
    }

    /// <summary>A new salt as the PHP admin makes it: a decimal number 0..9999.</summary>
    public static string NewSalt() =>
        RandomNumberGenerator.GetInt32(0, 10000).ToString(CultureInfo.InvariantCulture);

    /// <summary>True when md5(<paramref name="clientMd5Hex"/> + <paramref name="salt"/>) equals <paramref name="storedHash"/> (exact, case-sensitive).</summary>
    public static bool Verify(string clientMd5Hex, string salt, string storedHash)
    {
        if (clientMd5Hex is null || salt is null || storedHash is null)
        {
            return false;
        }

        return string.Equals(HashForStorage(clientMd5Hex, salt), storedHash, StringComparison.Ordinal);
    }

    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "Wire and data compatibility: TeamTalk clients send md5(password) and existing IMUser rows store md5(md5 + salt).")]
    private static string Md5Hex(string text) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
