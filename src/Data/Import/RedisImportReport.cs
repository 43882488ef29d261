namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// What an import did, by kind (members, unread, group reads, tokens, shields): rows changed, entries that were already
/// as Redis says, entries skipped (with the reason), and the places where our tables and Redis disagreed (Redis
/// followed).
/// </summary>
public sealed class RedisImportReport
{
    private readonly SortedDictionary<string, (int Changed, int Unchanged, int Skipped)> counts = new(StringComparer.Ordinal);
    private readonly List<string> disagreements = [];
    private readonly List<string> skips = [];

    /// <summary>Every change made, all kinds together (0 when the tables already held what Redis holds).</summary>
    public int Changes => counts.Values.Sum(c => c.Changed);

    /// <summary>Per kind: changed, unchanged, skipped.</summary>
    public IReadOnlyDictionary<string, (int Changed, int Unchanged, int Skipped)> Counts => counts;

    /// <summary>One line per disagreement between our tables and Redis.</summary>
    public IReadOnlyList<string> Disagreements => disagreements;

    /// <summary>One line per skipped entry, with the reason.</summary>
    public IReadOnlyList<string> Skips => skips;

    internal void Changed(string kind) => Add(kind, (1, 0, 0));

    internal void Unchanged(string kind) => Add(kind, (0, 1, 0));

    internal void Skipped(string kind, string reason)
    {
        Add(kind, (0, 0, 1));
        skips.Add($"{kind}: {reason}");
    }

    internal void Disagreed(string kind, string what) => disagreements.Add($"{kind}: {what}");

    private void Add(string kind, (int Changed, int Unchanged, int Skipped) delta)
    {
        counts.TryGetValue(kind, out var current);
        counts[kind] = (current.Changed + delta.Changed, current.Unchanged + delta.Unchanged, current.Skipped + delta.Skipped);
    }
}
