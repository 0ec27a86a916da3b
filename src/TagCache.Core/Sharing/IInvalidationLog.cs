namespace TagCache.Sharing;

/// <summary>
/// An engine's invalidation log, shared by every node of a cluster (PostgreSQL, Redis): an ordered, durable list of the
/// tags invalidated, numbered by a sequence that only grows (commit order), with an identity that changes when the log is
/// recreated, a pruning point below which rows were deleted, and a wake-up that tells listening nodes to read it. Only the
/// log is the truth: a wake-up may be lost, and every node also reads the log on a timer.
/// </summary>
internal interface IInvalidationLog : IAsyncDisposable
{
    /// <summary>Gets the log category of the engine's package, which also prefixes its messages: <c>TagCache.Postgres</c>.</summary>
    string Category { get; }

    /// <summary>Gets the store the log lives in, as an exception names it: <c>PostgreSQL</c>.</summary>
    string Store { get; }

    /// <summary>Gets where the log is, for messages: <c>schema 'tagcache'</c>, <c>Redis key prefix 'tagcache'</c>.</summary>
    string Location { get; }

    /// <summary>
    /// Appends one row per tag, atomically, and wakes the listening nodes (telling them <paramref name="writer"/> wrote it);
    /// returns the sequences the rows were given, once durable. Creates the log first if it is missing and may be created.
    /// </summary>
    ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken);

    /// <summary>Gets the log's identity, its pruning point and its head: where a node that starts empty begins.</summary>
    ValueTask<LogPosition> HeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="limit"/> rows after <paramref name="after"/>, with the log's identity and pruning point, as
    /// of one moment; the position's head is the log's (or <paramref name="after"/> for an engine that cannot go back).
    /// </summary>
    ValueTask<LogPage> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the rows older than <paramref name="retention"/>, unless another node is doing it; returns the new pruning point, or null.</summary>
    ValueTask<long?> PruneAsync(TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>
    /// Listens for wake-ups until the connection fails (it then throws) or <paramref name="cancellationToken"/> is cancelled:
    /// calls <paramref name="listening"/> once listening, and <paramref name="woken"/> with the writer a wake-up names (null
    /// when it names none) for every wake-up.
    /// </summary>
    Task ListenAsync(Action<string?> woken, Action listening, CancellationToken cancellationToken);
}

/// <summary>Where the log stands: which log it is (a recreated log has a new id), what retention deleted, and a sequence.</summary>
internal readonly record struct LogPosition(Guid LogId, long PrunedThrough, long Head);

/// <summary>One invalidated tag.</summary>
internal readonly record struct LogRow(long Sequence, string Cache, string Tag);

/// <summary>What one catch-up read.</summary>
internal sealed record LogPage(LogPosition Position, IReadOnlyList<LogRow> Rows);
