using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace TeamTalk.Orleans.Blobs;

/// <summary>
/// The name of a stored blob: 128 random bits as 32 lowercase hex digits, chosen by the store, never by a client.
/// Anything else (paths, dots, slashes, upper case) does not parse, so a name can never point outside the store.
/// </summary>
public readonly record struct BlobName
{
    /// <summary>Length of the text form.</summary>
    public const int Length = 32;

    private BlobName(string value) => Value = value;

    /// <summary>The 32 lowercase hex digits.</summary>
    public string Value { get; }

    /// <summary>A new random name.</summary>
    public static BlobName New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2)));

    /// <summary>Parses the text form; false for anything that is not exactly 32 lowercase hex digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out BlobName? name)
    {
        name = null;
        if (text.Length != Length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        name = new BlobName(text.ToString());
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
