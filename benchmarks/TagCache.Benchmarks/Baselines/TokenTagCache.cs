using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace TagCache.Benchmarks.Baselines;

/// <summary>
/// The usual hand-written tag idiom on <see cref="IMemoryCache"/>: one <see cref="CancellationTokenSource"/> per tag,
/// each entry registered with a <see cref="CancellationChangeToken"/> per tag, invalidation = <c>Cancel()</c>.
/// Cancelling runs one callback per entry carrying the tag, so invalidation grows with the entries. Like most such code it
/// also lets a value computed before an invalidation be stored after it (no compare-and-set); TagCache does not.
/// </summary>
public sealed class TokenTagCache(IMemoryCache cache, TimeSpan timeToLive)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _tags = new(StringComparer.Ordinal);

    public bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value) => cache.TryGetValue(key, out value);

    public void Set<T>(string key, T value, params ReadOnlySpan<string> tags)
    {
        using var entry = cache.CreateEntry(key);
        entry.Value = value;
        entry.AbsoluteExpirationRelativeToNow = timeToLive;
        foreach (var tag in tags)
        {
            var source = _tags.GetOrAdd(tag, static _ => new CancellationTokenSource());
            entry.AddExpirationToken(new CancellationChangeToken(source.Token));
        }
    }

    public void Invalidate(string tag)
    {
        if (_tags.TryRemove(tag, out var source))
        {
            source.Cancel();
            source.Dispose();
        }
    }
}
