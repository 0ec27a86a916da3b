namespace TagCache.Reliability.Tests.Support;

/// <summary>A row as read from the fake database: its id and the version it had when read.</summary>
public sealed record ProductRow(int Id, long Version);

/// <summary>A fake database of versioned rows; a write moves a row's version on by one.</summary>
public sealed class VersionedDatabase(int rows)
{
    private readonly long[] _versions = new long[rows];

    public int RowCount => _versions.Length;

    public ProductRow Read(int id) => new(id, Volatile.Read(ref _versions[id]));

    /// <summary>Writes the row; returns the version written.</summary>
    public long Write(int id) => Interlocked.Increment(ref _versions[id]);
}
