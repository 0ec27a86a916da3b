using TagCache.Sharing;

namespace TagCache.Testing.Contract;

/// <summary>
/// A real log whose reads this test can stop: while paused, every read fails (as when the database is unreachable for this
/// node only), so the node neither catches up nor opens its gate.
/// </summary>
internal sealed class PausableLog(IInvalidationLog inner) : IInvalidationLog
{
    private volatile bool _paused;

    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    public string Category => inner.Category;

    public string Store => inner.Store;

    public string Location => inner.Location;

    public ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken) =>
        inner.AppendAsync(cache, tags, writer, async, cancellationToken);

    public ValueTask<LogPosition> HeadAsync(CancellationToken cancellationToken) => ThrowIfPaused() ?? inner.HeadAsync(cancellationToken);

    public ValueTask<LogPage> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken) =>
        _paused ? ValueTask.FromException<LogPage>(new TimeoutException("paused by the test")) : inner.ReadAfterAsync(after, limit, cancellationToken);

    public ValueTask<long?> PruneAsync(TimeSpan retention, CancellationToken cancellationToken) => inner.PruneAsync(retention, cancellationToken);

    public Task ListenAsync(Action<string?> woken, Action listening, CancellationToken cancellationToken) =>
        inner.ListenAsync(woken, listening, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private ValueTask<LogPosition>? ThrowIfPaused() => _paused ? ValueTask.FromException<LogPosition>(new TimeoutException("paused by the test")) : null;
}
