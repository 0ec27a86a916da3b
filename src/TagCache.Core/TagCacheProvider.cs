using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using TagCache.Events;
using TagCache.Stores;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache;

/// <summary>
/// The named caches configured in <see cref="TagCacheOptions"/>, each with its own entries and tag versions, and the
/// <see cref="ICacheSweeper"/> for their <c>InvalidateOn</c> rules. Made by <see cref="TagCacheFactory.Create(Action{TagCacheOptions}?, TimeProvider?, ILoggerFactory?, System.Diagnostics.Metrics.IMeterFactory?)"/>
/// or by a container; dispose it (or the container) to release the caches' memory and background timers.
/// </summary>
public sealed class TagCacheProvider : ITagCacheProvider, IDisposable, IAsyncDisposable
{
    private readonly Dictionary<string, TagCacheStore> _caches = new(StringComparer.Ordinal);
    private readonly TagCacheInstruments _instruments;
    private readonly ISharedTagVersions? _shared;
    private readonly SecondLevel.ISecondLevelStore? _secondLevel;
    private int _disposed;

    /// <param name="options">The caches to make.</param>
    /// <param name="time">Their clock.</param>
    /// <param name="loggerFactory">Where they log.</param>
    /// <param name="meterFactory">Makes the <c>TagCache</c> meter; <see langword="null"/> means one this provider owns.</param>
    /// <param name="versions">Makes each cache's tag version store; <see langword="null"/> means the options' shared
    /// versions (<see cref="TagCacheOptions.SharedVersions"/>), or in memory.</param>
    internal TagCacheProvider(TagCacheOptions options, TimeProvider time, ILoggerFactory loggerFactory, IMeterFactory? meterFactory, Func<string, ITagVersionStore>? versions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var logger = loggerFactory.CreateLogger("TagCache");
        _instruments = new TagCacheInstruments(meterFactory, MeasureEntries);
        _shared = versions is null ? options.SharedVersions?.Invoke(loggerFactory, time) : null;
        versions ??= _shared is { } shared ? shared.For : _ => new InMemoryTagVersionStore();
        _secondLevel = options.SecondLevelRegistration?.Store(loggerFactory);
        foreach (var name in options.CacheNames)
        {
            var named = options.GetCacheOptions(name);
            var secondLevel = options.SecondLevelFor(name);
            _caches[name] = new TagCacheStore(
                name,
                named.DefaultTimeout ?? options.DefaultTimeout,
                named.SizeLimit ?? options.SizeLimit,
                options.ReclaimInterval,
                versions(name),
                time,
                new CacheTelemetry(name, _instruments, options, logger),
                options.ScopeFor(name),
                options.ResilienceFor(name),
                secondLevel is null ? null : _secondLevel,
                secondLevel);
        }

        Sweeper = new CacheSweeper(options.InvalidationRules, n => _caches.GetValueOrDefault(n));

        // Once every cache observes its versions, so no invalidation read from the log finds a cache missing.
        _shared?.Start();
    }

    /// <summary>Gets the sweeper that applies the <c>InvalidateOn</c> rules of the options to these caches.</summary>
    public ICacheSweeper Sweeper { get; }

    /// <summary>Gets the names of the caches, <see cref="TagCacheOptions.DefaultCacheName"/> included.</summary>
    public IReadOnlyCollection<string> CacheNames => _caches.Keys;

    /// <inheritdoc/>
    public ITagCache GetCache(string name) => GetStore(name);

    /// <summary>
    /// Gets what the named cache did since it was made (the counterpart of <c>MemoryCache.GetCurrentStatistics()</c>):
    /// hits, misses by reason, computations by outcome, joins, invalidations, faults and entries.
    /// </summary>
    /// <param name="name">The cache; <see cref="TagCacheOptions.DefaultCacheName"/> when not given.</param>
    /// <returns>The counts, or <see langword="null"/> when <see cref="TagCacheOptions.TrackStatistics"/> is off.</returns>
    /// <exception cref="KeyNotFoundException">No cache has that name.</exception>
    public TagCacheStatistics? GetCurrentStatistics(string name = TagCacheOptions.DefaultCacheName) => GetStore(name).GetCurrentStatistics();

    /// <summary>
    /// Disposes every cache (their memory caches and timers; a computation still running ends with
    /// <see cref="ObjectDisposedException"/> for its callers) and the telemetry they report through. Shared tag versions
    /// (<c>UsePostgres</c>) stop following their log without being waited for; <see cref="DisposeAsync"/> waits for them.
    /// </summary>
    public void Dispose()
    {
        if (DisposeCaches())
        {
            _shared?.Dispose();
            _ = _secondLevel?.DisposeAsync().AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            _instruments.Dispose();
        }
    }

    /// <summary>
    /// Disposes every cache, then waits, without blocking a thread, for shared tag versions to stop following their log
    /// and release their connections.
    /// </summary>
    /// <returns>A task that completes once everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (DisposeCaches())
        {
            if (_shared is not null)
            {
                await _shared.DisposeAsync().ConfigureAwait(false);
            }

            if (_secondLevel is not null)
            {
                await _secondLevel.DisposeAsync().ConfigureAwait(false);
            }

            _instruments.Dispose();
        }
    }

    /// <summary>Disposes the caches, once; false if that was done already.</summary>
    private bool DisposeCaches()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return false;
        }

        // First: nothing reads or invalidates through the shared versions any more.
        foreach (var cache in _caches.Values)
        {
            cache.Dispose();
        }

        return true;
    }

    private IEnumerable<Measurement<long>> MeasureEntries()
    {
        // A host's meter outlives this provider: once disposed, it reports nothing rather than touching disposed caches.
        if (Volatile.Read(ref _disposed) == 1)
        {
            yield break;
        }

        foreach (var cache in _caches.Values)
        {
            if (cache.TryCountEntries(out var entries))
            {
                yield return new Measurement<long>(entries, new KeyValuePair<string, object?>(TelemetryNames.CacheTag, cache.Name));
            }
        }
    }

    internal TagCacheStore GetStore(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _caches.TryGetValue(name, out var cache)
            ? cache
            : throw new KeyNotFoundException(
                $"No TagCache named '{name}' is configured. Configured caches: {string.Join(", ", _caches.Keys)}. " +
                $"Add it with options.AddCache(\"{name}\").");
    }
}
