using TagCache.Tags;

namespace TagCache.Reliability.Tests.Support;

/// <summary>Tag versions kept in memory, whose storage can be made unreachable: what a shared version store does when its server is down.</summary>
internal sealed class FailingVersionStore : ITagVersionStore
{
    private readonly InMemoryTagVersionStore _inner = new();
    private volatile bool _down;

    public long CurrentSequence => _inner.CurrentSequence;

    /// <summary>Makes every call fail until <see cref="Restore"/>.</summary>
    public void TakeDown() => _down = true;

    public void Restore() => _down = false;

    public TagState Acquire(string tag) => _down ? throw new CacheUnavailableException() : _inner.Acquire(tag);

    public void Invalidate(IReadOnlyList<string> tags)
    {
        if (_down)
        {
            throw new CacheUnavailableException();
        }

        _inner.Invalidate(tags);
    }

    public ValueTask InvalidateAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        _down ? ValueTask.FromException(new CacheUnavailableException()) : _inner.InvalidateAsync(tags, cancellationToken);

    public ValueTask InvalidateEverythingAsync(CancellationToken cancellationToken) =>
        _down ? ValueTask.FromException(new CacheUnavailableException()) : _inner.InvalidateEverythingAsync(cancellationToken);
}
