using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace TeamTalk.Orleans.Gateway.Msfs;

/// <summary>
/// msfs paths, always made by us (behaviour.md 2.2 shape, which clients get back as <c>path</c> and inside <c>url</c>):
/// <c>g0/NNN/MMM/&lt;microseconds&gt;_&lt;8 hex&gt;[_&lt;W&gt;x&lt;H&gt;].&lt;ext&gt;</c>. The <c>_WxH</c> suffix of the
/// uploaded file's name is kept (clients read image sizes from it); nothing else of the client's name is used.
/// </summary>
internal static partial class MsfsPath
{
    /// <summary>The longest path looked up (the table's column).</summary>
    public const int MaxLength = 128;

    /// <summary>A new path for a file of the given client file name (its size suffix kept) and lowercase extension.</summary>
    public static string New(string fileName, string extension, DateTimeOffset now)
    {
        var buckets = RandomNumberGenerator.GetInt32(1_000_000);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var size = SizeSuffix().Match(stem);
        var suffix = size.Success ? $"_{size.Groups[1].Value}x{size.Groups[2].Value}" : string.Empty;
        var micros = (now.ToUnixTimeMilliseconds() * 1000) + (now.Ticks / 10 % 1000);
        return string.Create(CultureInfo.InvariantCulture,
            $"g0/{buckets / 1000:D3}/{buckets % 1000:D3}/{micros}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}{suffix}.{extension}");
    }

    /// <summary>
    /// The lowercase extension of a client file name (the text after its last dot, 1 to 15 ASCII letters or digits),
    /// or null.
    /// </summary>
    public static string? Extension(string? fileName)
    {
        var dot = fileName?.LastIndexOf('.') ?? -1;
        if (dot < 0)
        {
            return null;
        }

        var extension = fileName![(dot + 1)..];
        return extension.Length is > 0 and <= MsfsFileKind.MaxExtensionLength && extension.All(char.IsAsciiLetterOrDigit)
            ? extension.ToLowerInvariant()
            : null;
    }

    /// <summary>The stored path a request path names (without its leading slash), or null when it cannot name one (<c>..</c>, too long, empty).</summary>
    public static string? Lookup(string? requestPath)
    {
        var path = requestPath?.TrimStart('/');
        return string.IsNullOrEmpty(path) || path.Length > MaxLength || path.Contains("..", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal)
            ? null
            : path;
    }

    [GeneratedRegex(@"_(\d{1,4})x(\d{1,4})$", RegexOptions.CultureInvariant)]
    private static partial Regex SizeSuffix();
}
