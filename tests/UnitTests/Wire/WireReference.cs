using System.Globalization;
using System.Text.RegularExpressions;

namespace TeamTalk.Orleans.UnitTests.Wire;

/// <summary>One field row of a message table in wire-reference.md.</summary>
internal sealed record ReferenceField(int Number, string Label, string Type, string Name, string Option);

/// <summary>A message of wire-reference.md; <see cref="FullName"/> is e.g. <c>IM.Login.IMLoginReq</c>.</summary>
internal sealed record ReferenceMessage(string Package, string Name, IReadOnlyList<ReferenceField> Fields)
{
    public string FullName => $"{Package}.{Name}";
}

/// <summary>An enum of wire-reference.md.</summary>
internal sealed record ReferenceEnum(string Package, string Name, IReadOnlyList<KeyValuePair<string, int>> Values)
{
    public string FullName => $"{Package}.{Name}";
}

/// <summary>A package section of wire-reference.md and the file it names.</summary>
internal sealed record ReferencePackage(string Name, string File);

/// <summary>
/// The facts of /work/shared/protocol/wire-reference.md (numbers, labels, types, enum values), parsed from its
/// markdown tables so the generated descriptors can be compared with the reference itself.
/// </summary>
internal sealed partial class WireReference
{
    public const string RelativePath = "shared/protocol/wire-reference.md";

    private static readonly Lazy<WireReference> Loaded = new(() => Parse(File.ReadAllLines(Locate())));

    public List<ReferencePackage> Packages { get; } = [];

    public List<ReferenceMessage> Messages { get; } = [];

    public List<ReferenceEnum> Enums { get; } = [];

    public static WireReference Instance => Loaded.Value;

    /// <summary>
    /// Walks up from the test binaries to the directory that holds <c>shared/protocol/wire-reference.md</c> (the repo
    /// root's sibling <c>shared</c>). TEAMTALK_WIRE_REFERENCE overrides the search.
    /// </summary>
    public static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable("TEAMTALK_WIRE_REFERENCE");
        if (!string.IsNullOrEmpty(overridden))
        {
            Assert.True(File.Exists(overridden), $"TEAMTALK_WIRE_REFERENCE points to a missing file: {overridden}");
            return overridden;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail(
            $"wire-reference.md not found: no directory above {AppContext.BaseDirectory} contains {RelativePath} " +
            "(expected the repository root to have a sibling 'shared' folder); set TEAMTALK_WIRE_REFERENCE to its path.");
        return string.Empty;
    }

    public static WireReference Parse(IEnumerable<string> lines)
    {
        var reference = new WireReference();
        string? package = null;
        string? kind = null;
        string? name = null;
        List<ReferenceField>? fields = null;
        List<KeyValuePair<string, int>>? values = null;

        void Flush()
        {
            if (fields is not null)
            {
                reference.Messages.Add(new ReferenceMessage(package!, name!, fields));
            }

            if (values is not null)
            {
                reference.Enums.Add(new ReferenceEnum(package!, name!, values));
            }

            fields = null;
            values = null;
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (PackageHeading().Match(line) is { Success: true } p)
            {
                Flush();
                package = p.Groups[1].Value;
                reference.Packages.Add(new ReferencePackage(package, p.Groups[2].Value));
                kind = null;
            }
            else if (TypeHeading().Match(line) is { Success: true } t)
            {
                Flush();
                Assert.True(package is not null, $"'{line}' before any package heading");
                kind = t.Groups[1].Value;
                name = t.Groups[2].Value;
                if (kind == "message")
                {
                    fields = [];
                }
                else
                {
                    values = [];
                }
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                kind = null;
            }
            else if (kind is not null && line.StartsWith('|') && !line.StartsWith("|---", StringComparison.Ordinal))
            {
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (cells[0] is "#" or "name")
                {
                    continue; // table heading
                }

                if (kind == "message")
                {
                    Assert.True(cells.Length == 5, $"message row of {name} with {cells.Length} cells: {line}");
                    fields!.Add(new ReferenceField(int.Parse(cells[0], CultureInfo.InvariantCulture), cells[1], cells[2], cells[3], cells[4]));
                }
                else
                {
                    var value = EnumValue().Match(cells[1]);
                    Assert.True(cells.Length == 2 && value.Success, $"enum row of {name}: {line}");
                    var number = int.Parse(value.Groups[1].Value, CultureInfo.InvariantCulture);
                    Assert.Equal(number, int.Parse(value.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    values!.Add(new(cells[0], number));
                }
            }
        }

        Flush();
        return reference;
    }

    [GeneratedRegex(@"^## package `([A-Za-z.]+)` \(file ([A-Za-z.]+\.proto)\)$")]
    private static partial Regex PackageHeading();

    [GeneratedRegex(@"^### (message|enum) ([A-Za-z0-9_]+)$")]
    private static partial Regex TypeHeading();

    [GeneratedRegex(@"^(-?[0-9]+) \(0x([0-9a-fA-F]+)\)$")]
    private static partial Regex EnumValue();
}
