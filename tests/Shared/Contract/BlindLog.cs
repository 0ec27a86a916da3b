using TagCache.Sharing;

namespace TagCache.Testing.Contract;

/// <summary>
/// A broken node's log: it reports the head as read, every time, without a row, and wakes no one. The node it feeds opens
/// its gate on schedule and never applies another node's invalidation: what a node skipping the stamp check would serve.
/// </summary>
internal sealed class BlindLog(IInvalidationLog inner) : IInvalidationLog
{
    public string Category => inner.Category;

    public string Store => inner.Store;

    public string Location => inner.Location;

    public ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken) =>
        inner.AppendAsync(cache, tags, writer, async, cancellationToken);

    public ValueTask<LogPosition> HeadAsync(CancellationToken cancellationToken) => inner.HeadAsync(cancellationToken);

    public async ValueTask<LogPage> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken)
    {
        var page = await inner.ReadAfterAsync(after, limit, cancellationToken);
        return page with { Rows = [] };
    }

    public ValueTask<long?> PruneAsync(TimeSpan retention, CancellationToken cancellationToken) => inner.PruneAsync(retention, cancellationToken);

    public Task ListenAsync(Action<string?> woken, Action listening, CancellationToken cancellationToken)
    {
        listening();
        return Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
