using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace TagCache.Testing;

/// <summary>How a <see cref="ControlledDistributedCache"/> misbehaves.</summary>
public enum DistributedCacheMode
{
    Healthy,

    /// <summary>Every call throws, as a store that is down.</summary>
    Down,

    /// <summary>Every call waits <see cref="ControlledDistributedCache.Delay"/> first (ignoring cancellation), as a store that hangs.</summary>
    Slow,

    /// <summary>Every read returns bytes that are not a value.</summary>
    Garbage,
}

/// <summary>
/// An in-memory <see cref="IDistributedCache"/> for tests of the layers above a second level: it stores bytes like any
/// distributed cache, counts its calls, and can be switched to fail, hang or return garbage.
/// </summary>
public sealed class ControlledDistributedCache : IDistributedCache
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private int _reads;
    private int _writes;
    private int _removes;

    public DistributedCacheMode Mode { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    public int Removes => Volatile.Read(ref _removes);

    /// <summary>Gets the payloads stored, by key.</summary>
    public IReadOnlyDictionary<string, byte[]> Values => _values;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref _reads);
        await Misbehave().ConfigureAwait(false);
        if (Mode == DistributedCacheMode.Garbage)
        {
            return [0x54, 0x43, 0x4C, 0x32, 0x01, 0x00, 0xFF, 0xFE];
        }

        return _values.TryGetValue(key, out var value) ? value : null;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Interlocked.Increment(ref _writes);
        await Misbehave().ConfigureAwait(false);
        _values[key] = value;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref _removes);
        await Misbehave().ConfigureAwait(false);
        _values.TryRemove(key, out _);
    }

    /// <summary>Stores <paramref name="payload"/> under <paramref name="key"/> directly, as another writer would.</summary>
    public void Put(string key, byte[] payload) => _values[key] = payload;

    /// <summary>Replaces every stored payload with <paramref name="replace"/>'s result (garbage, another writer's bytes).</summary>
    public void Tamper(Func<byte[], byte[]> replace)
    {
        foreach (var pair in _values)
        {
            _values[pair.Key] = replace(pair.Value);
        }
    }

    private async Task Misbehave()
    {
        switch (Mode)
        {
            case DistributedCacheMode.Down:
                throw new InvalidOperationException("The distributed cache is down.");
            case DistributedCacheMode.Slow:
                await Task.Delay(Delay, CancellationToken.None).ConfigureAwait(false);
                break;
        }
    }
}
