namespace TeamTalk.Orleans.Data.Schema;

/// <summary>What one <see cref="SchemaMigrator.ApplyAsync"/> run did.</summary>
public sealed class SchemaMigrationReport
{
    /// <summary>True when the database did not exist and was created.</summary>
    public bool DatabaseCreated { get; internal set; }

    /// <summary>Scripts run for the first time or whose checksum changed (recorded in the history table).</summary>
    public IList<string> ScriptsRecorded { get; } = new List<string>();

    /// <summary>Scripts already recorded with the same checksum (run again; they are idempotent).</summary>
    public IList<string> ScriptsUnchanged { get; } = new List<string>();

    /// <summary>Tables that received one of our unique keys in this run.</summary>
    public IList<string> UniqueKeysAdded { get; } = new List<string>();

    /// <summary>Tables whose unique key could not be added, with the number of duplicate id pairs found.</summary>
    public IDictionary<string, long> UniqueKeysSkipped { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Original tables that lack columns this server expects (an older TeamTalk schema).</summary>
    public IDictionary<string, IReadOnlyList<string>> MissingColumns { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Elapsed { get; internal set; }
}

/// <summary>The schema could not be applied (connection, lock or a statement failed).</summary>
public sealed class SchemaMigrationException : Exception
{
    public SchemaMigrationException()
    {
    }

    public SchemaMigrationException(string message)
        : base(message)
    {
    }

    public SchemaMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
