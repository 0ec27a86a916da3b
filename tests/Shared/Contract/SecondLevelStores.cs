using TagCache.SecondLevel;
using TagCache.Tags;

namespace TagCache.Testing.Contract;

/// <summary>
/// A second level that makes its node skip the stamp check: every value it reads comes back stamped as computed after
/// everything, so the node's ledger finds no invalidation after it. The checker must catch such a node.
/// </summary>
internal sealed class RestampingStore(ISecondLevelStore inner) : ISecondLevelStore
{
    public string Name => inner.Name;

    public async ValueTask<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (await inner.ReadAsync(key, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        var payload = SecondLevelPayload.Read(bytes);
        return SecondLevelPayload.Write(new LogStamp(payload.Stamp.Log, long.MaxValue - 1), payload.ExpiresAtMs, payload.Type, payload.Tags, payload.Value.Span, compressAbove: null);
    }

    public ValueTask WriteAsync(string key, byte[] payload, DateTimeOffset? expires, CancellationToken cancellationToken) =>
        inner.WriteAsync(key, payload, expires, cancellationToken);

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken) => inner.RemoveAsync(key, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>
/// A second level that lags, as a stale replica or a restored backup would: each key answers forever with the first value
/// read from it. Only the stamps keep a node from serving those old values.
/// </summary>
internal sealed class LaggingStore(ISecondLevelStore inner) : ISecondLevelStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _first = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public async ValueTask<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (_first.TryGetValue(key, out var old))
        {
            return old;
        }

        var bytes = await inner.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : _first.GetOrAdd(key, bytes);
    }

    public ValueTask WriteAsync(string key, byte[] payload, DateTimeOffset? expires, CancellationToken cancellationToken) =>
        inner.WriteAsync(key, payload, expires, cancellationToken);

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken) => inner.RemoveAsync(key, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
