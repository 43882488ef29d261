using System.Security.Cryptography;
using System.Text;
using TeamTalk.Orleans.Data.Users;

namespace TeamTalk.Orleans.Data.Admin;

/// <summary>
/// The original PHP admin's password scheme for <c>IMAdmin.pwd</c> (<c>CHAR(32)</c>): the lowercase hex MD5 of the
/// password's UTF-8 bytes, unsalted (the stock row <c>admin</c> holds md5("admin")). Kept so an existing deployment's
/// administrators keep their passwords and the PHP admin still accepts accounts made here; it is weak (unsalted MD5),
/// which is one more reason the console listens on loopback by default.
/// </summary>
public static class AdminPassword
{
    /// <summary>The value stored in <c>IMAdmin.pwd</c> for <paramref name="plain"/>.</summary>
    public static string Hash(string plain) => TeamTalkPassword.ClientHash(plain);

    /// <summary>
    /// True when <paramref name="plain"/> hashes to <paramref name="stored"/> (hex compared without regard to case), in
    /// time that does not depend on where they differ. A null <paramref name="stored"/> (no such account) still hashes
    /// and compares, against a value no password has, so an unknown name takes as long as a wrong password.
    /// </summary>
    public static bool Matches(string plain, string? stored)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var expected = Encoding.ASCII.GetBytes((stored ?? new string('-', 32)).Trim().ToLowerInvariant());
        var actual = Encoding.ASCII.GetBytes(Hash(plain));
        return CryptographicOperations.FixedTimeEquals(actual, expected) && stored is not null;
    }
}
