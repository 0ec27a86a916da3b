using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>The default <see cref="ITagCache"/>: values in a <see cref="MemoryCache"/>, validity decided by tag stamps.</summary>
internal sealed partial class TagCacheStore : ITagCache, IDisposable
{
    private readonly MemoryCache _memory;
    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly TimeSpan _defaultTimeout;
    private readonly bool _sized;
    private readonly StaleEntrySweeper _sweeper;

    public TagCacheStore(string name, TimeSpan defaultTimeout, long? sizeLimit, TimeSpan sweepInterval, ITagVersionStore versions, TimeProvider time, ILogger logger)
    {
        Name = name;
        Versions = versions;
        _defaultTimeout = defaultTimeout;
        _sized = sizeLimit is not null;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimit, Clock = new TimeProviderClock(time) });
        _sweeper = new StaleEntrySweeper(_memory, sweepInterval, time, logger);
    }

    public string Name { get; }

    internal ITagVersionStore Versions { get; }

    /// <summary>Gets the number of keys being computed right now; for tests of the single-flight bookkeeping.</summary>
    internal int FlightCount => _flights.Count;

    internal MemoryCache Memory => _memory;

    public bool TryGet<T>(string key, out T value) => TryGet(ValidKey(key).AsSpan(), out value);

    /// <summary>Looks a key up without needing it as a string, so a hit on the interception path allocates nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGet<T>(ReadOnlySpan<char> key, out T value)
    {
        if (TryGetStored(key, out var stored))
        {
            value = stored is T typed ? typed : NullOrMismatch<T>(stored, key);
            return true;
        }

        value = default!;
        return false;
    }

    // A bare cast would throw NullReferenceException for a null stored under a value type, and a message naming neither key nor types.
    private static T NullOrMismatch<T>(object? stored, ReadOnlySpan<char> key) =>
        stored is null && default(T) is null
            ? default!
            : throw new InvalidCastException(
                $"The key '{key}' holds {(stored is null ? "null" : "a value of type " + stored.GetType())} but was requested as {typeof(T)}. Use distinct keys for values of different types.");

    /// <summary>Gets the stored value if the key holds one whose tags are all current.</summary>
    internal bool TryGetStored(ReadOnlySpan<char> key, out object? value)
    {
        if (_memory.TryGetValue(key, out var stored))
        {
            if (stored is not CacheEntryBox box)
            {
                // Entries without tags are stored bare: nothing can make them stale but expiry, which the memory cache checks.
                value = stored;
                return true;
            }

            if (box.StampsAreCurrent())
            {
                Computation.Current?.Inherit(box.Stamps, poisoned: false);
                value = box.Value;
                return true;
            }

            // Stale: free it now rather than at the next sweep or compaction.
            _memory.Remove(key.ToString());
        }

        value = null;
        return false;
    }

    public void Set<T>(string key, T value, TagCacheEntryOptions? options = null)
    {
        ValidKey(key);
        var tags = options?.Tags ?? [];
        var stamps = tags.Count == 0 ? [] : new TagStamp[tags.Count];
        var i = 0;
        foreach (var tag in tags)
        {
            stamps[i++] = TagStamp.Take(Versions.Acquire(Computation.ValidTag(tag)));
        }

        Store(key, value, stamps, options);
    }

    public void Remove(string key) => _memory.Remove(ValidKey(key));

    public void InvalidateTags(params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        Versions.Invalidate(tags);
        _sweeper.NoteInvalidation();
    }

    public async ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        await Versions.InvalidateAsync(tags as IReadOnlyList<string> ?? [.. tags], cancellationToken).ConfigureAwait(false);
        _sweeper.NoteInvalidation();
    }

    public T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ValidKey(key);
        while (true)
        {
            if (TryGet(key.AsSpan(), out T value))
            {
                return value;
            }

            if (_flights.TryGetValue(key, out var existing))
            {
                if (JoinOrDiscard<T>(key, existing) is { } joined && TryWait(key, joined, out value))
                {
                    return value;
                }

                continue;
            }

            var flight = new Flight<T>();
            if (!_flights.TryAdd(key, flight))
            {
                continue;
            }

            // A flight that finished between our miss and our TryAdd stored its value before it left the map.
            if (TryGet(key.AsSpan(), out value))
            {
                _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
                // Marked not fresh so anyone who joined meanwhile reads the entry itself and inherits its tags.
                flight.Succeed(value, [], poisoned: true);
                return value;
            }

            return Compute(key, flight, factory, options);
        }
    }

    public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return TryGet(ValidKey(key).AsSpan(), out T value)
            ? ValueTask.FromResult(value)
            : GetOrComputeAsync(key, factory, options, cancellationToken);
    }

    /// <summary>Runs the background sweep now; returns how many stale or expired entries it freed.</summary>
    internal int SweepNow() => _sweeper.Sweep();

    public void Dispose()
    {
        _sweeper.Dispose();
        _memory.Dispose();
    }

    private static string ValidKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key;
    }

    /// <summary>
    /// A joined flight may have started before an invalidation that returned before we joined; its value must not be
    /// served to us then. Its dependencies tell: a poisoned or no longer current value sends the waiter round again.
    /// </summary>
    private static bool IsFresh(Flight flight)
    {
        if (flight.Poisoned)
        {
            return false;
        }

        foreach (var stamp in flight.Stamps)
        {
            if (!stamp.IsCurrent)
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<T> GetOrComputeAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryGet(key.AsSpan(), out T value))
            {
                return value;
            }

            if (_flights.TryGetValue(key, out var existing))
            {
                if (JoinOrDiscard<T>(key, existing) is { } joined)
                {
                    value = await WaitAsync(key, joined, cancellationToken).ConfigureAwait(false);
                    if (IsFresh(joined))
                    {
                        Computation.Current?.Inherit(joined.Stamps, poisoned: false);
                        return value;
                    }
                }

                continue;
            }

            var flight = new Flight<T>();
            if (!_flights.TryAdd(key, flight))
            {
                continue;
            }

            if (TryGet(key.AsSpan(), out value))
            {
                _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
                // Marked not fresh so anyone who joined meanwhile reads the entry itself and inherits its tags.
                flight.Succeed(value, [], poisoned: true);
                return value;
            }

            _ = ComputeAsync(key, flight, factory, options);

            // The caller that started the computation gets its value even if a tag moved meanwhile (it was not stored).
            value = await WaitAsync(key, flight, cancellationToken).ConfigureAwait(false);
            Computation.Current?.Inherit(flight.Stamps, flight.Poisoned);
            return value;
        }
    }

    private Flight<T>? JoinOrDiscard<T>(string key, Flight existing)
    {
        if (existing is not Flight<T> typed)
        {
            throw new InvalidOperationException(
                $"The key '{key}' is being computed as {existing.ValueType} but was requested as {typeof(T)}. Use distinct keys for values of different types.");
        }

        if (typed.TryJoin())
        {
            return typed;
        }

        // Every waiter of that flight cancelled; it is being torn down, so start afresh.
        _flights.TryRemove(new KeyValuePair<string, Flight>(key, existing));
        return null;
    }

    private T Compute<T>(string key, Flight<T> flight, Func<T> factory, TagCacheEntryOptions? options)
    {
        var computation = Start(flight, options);
        var previous = Computation.Enter(computation);
        T value;
        try
        {
            value = factory();
            AddResultTags(computation, options, value);
        }
        catch (Exception exception)
        {
            Abandon(key, flight, computation, exception);
            throw;
        }
        finally
        {
            Computation.Exit(previous);
        }

        Complete(key, flight, computation, value, options);
        previous?.Inherit(flight.Stamps, flight.Poisoned);
        return value;
    }

    private async Task ComputeAsync<T>(string key, Flight<T> flight, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options)
    {
        Computation computation;
        try
        {
            computation = Start(flight, options);
        }
        catch (Exception exception)
        {
            _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
            flight.Fail(exception, [], poisoned: false);
            return;
        }

        // Set inside this async method so the ambient computation never leaks back to the caller.
        Computation.Enter(computation);
        T value;
        try
        {
            value = await factory(flight.Token).ConfigureAwait(false);
            AddResultTags(computation, options, value);
        }
        catch (Exception exception)
        {
            Abandon(key, flight, computation, exception);
            return;
        }

        Complete(key, flight, computation, value, options);
    }

    private Computation Start(Flight flight, TagCacheEntryOptions? options)
    {
        var computation = new Computation(Versions, options?.Tags ?? [], flight);
        flight.Owner = computation;
        return computation;
    }

    private static void AddResultTags<T>(Computation computation, TagCacheEntryOptions? options, T value)
    {
        if (options?.ResultTags is { } resultTags)
        {
            foreach (var tag in resultTags(value))
            {
                computation.AddLateTag(tag);
            }
        }
    }

    private void Complete<T>(string key, Flight<T> flight, Computation computation, T value, TagCacheEntryOptions? options)
    {
        var stamps = computation.SnapshotStamps();
        var poisoned = computation.IsPoisoned;
        if (!poisoned)
        {
            // Compare-and-set: a value whose tags moved while it was computed is returned but never stored.
            Store(key, value, stamps, options);
            poisoned = !CacheEntryBox.AreCurrent(stamps);
        }

        // Stored before leaving the map, so a caller that finds no flight finds the entry.
        _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
        flight.Succeed(value, stamps, poisoned);
    }

    private void Abandon<T>(string key, Flight<T> flight, Computation computation, Exception exception)
    {
        _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
        flight.Fail(exception, computation.SnapshotStamps(), computation.IsPoisoned);
    }

    private static bool TryWait<T>(string key, Flight<T> flight, out T value)
    {
        var current = Computation.Current;
        try
        {
            current?.BlockOn(flight, key);
        }
        catch
        {
            flight.Leave();
            throw;
        }

        try
        {
            // A synchronous method has nothing to do but wait; the flight's task is a TaskCompletionSource, never user async code.
            value = flight.Task.GetAwaiter().GetResult();
            if (!IsFresh(flight))
            {
                return false;
            }

            current?.Inherit(flight.Stamps, poisoned: false);
            return true;
        }
        catch
        {
            current?.Inherit(flight.Stamps, flight.Poisoned);
            throw;
        }
        finally
        {
            current?.Unblock();
        }
    }

    private static async ValueTask<T> WaitAsync<T>(string key, Flight<T> flight, CancellationToken cancellationToken)
    {
        var current = Computation.Current;
        try
        {
            current?.BlockOn(flight, key);
        }
        catch
        {
            flight.Leave();
            throw;
        }

        try
        {
            return await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !flight.Task.IsCompleted)
        {
            flight.Leave();
            throw;
        }
        catch (Exception exception) when (flight.Task.IsFaulted)
        {
            current?.Inherit(flight.Stamps, flight.Poisoned);
            ExceptionDispatchInfo.Throw(exception);
            throw;
        }
        finally
        {
            current?.Unblock();
        }
    }

    private void Store<T>(string key, T value, TagStamp[] stamps, TagCacheEntryOptions? options)
    {
        var timeout = options?.Timeout ?? _defaultTimeout;
        object? entry = stamps.Length == 0 ? value : new CacheEntryBox(value, stamps);
        using (var cacheEntry = _memory.CreateEntry(key))
        {
            cacheEntry.Value = entry;

            // Relative to the memory cache's clock, which is the injected TimeProvider.
            cacheEntry.AbsoluteExpirationRelativeToNow = timeout;
            if (_sized)
            {
                cacheEntry.Size = 1;
            }
        }
    }
}
