using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.SecondLevel;

/// <summary>
/// One cache's second level: values every node shares, each stamped with the log position its computation started at and
/// every tag it depends on, and accepted by a node only if its <see cref="InvalidationLedger"/> knows no invalidation of
/// those tags after that position (and its staleness gate is open). Every failure (the store down or slow, bytes that are
/// not a value, a value of another type) leaves the call to the first level and is counted; none reaches a caller.
/// </summary>
internal sealed class SecondLevelCache : IDisposable
{
    private readonly string _cache;
    private readonly ISecondLevelStore _store;
    private readonly SecondLevelSettings _settings;
    private readonly ITagVersionStore _versions;
    private readonly InvalidationLedger _ledger;
    private readonly TimeProvider _time;
    private readonly CacheTelemetry _telemetry;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Type, string?> _refusals = new();
    private readonly ConcurrentDictionary<(string?, Type), byte> _refusalsLogged = new();
    private readonly KeyValuePair<string, object?>[] _cacheTag;
    private long _outageFaults;
    private int _down;
    private int _unreadableLogged;

    public SecondLevelCache(string cache, ISecondLevelStore store, SecondLevelSettings settings, ITagVersionStore versions, TimeProvider time, CacheTelemetry telemetry)
    {
        _cache = cache;
        _store = store;
        _settings = settings;
        _versions = versions;
        versions.KeepLedger();
        _ledger = versions.Ledger ?? throw new InvalidOperationException("The tag version store keeps no ledger.");
        _time = time;
        _telemetry = telemetry;
        _cacheTag = [new(TelemetryNames.CacheTag, cache)];
    }

    /// <summary>Gets the serializer, for the build-time check of result types.</summary>
    public ITagCacheSerializer Serializer => _settings.Serializer;

    /// <summary>Gets where a computation starting now stands; null while unknown (then its value is not written).</summary>
    public LogStamp? Start() => _versions.Position;

    /// <summary>Says whether values of <paramref name="type"/> can be written; why not, when they cannot.</summary>
    public string? RefusalOf(Type type) =>
        _refusals.GetOrAdd(type, static (t, serializer) => serializer.CanSerialize(t, out var reason) ? null : reason, _settings.Serializer);

    /// <summary>Reads <paramref name="key"/>'s value, if another computation wrote one that this node may serve.</summary>
    public async ValueTask<SecondLevelHit<T>?> ReadAsync<T>(object key, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            var storeKey = KeyOf(key);
            bytes = await WithTimeout((store, token) => store.ReadAsync(storeKey, token), _settings.ReadTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && Observers.Swallow(exception))
        {
            Fault("read", exception);
            return null;
        }

        Healthy();
        if (bytes is null)
        {
            return null;
        }

        SecondLevelPayload payload;
        try
        {
            payload = SecondLevelPayload.Read(bytes);
        }
        catch (FormatException exception)
        {
            Unreadable(exception, exception.Message);
            return null;
        }

        var form = ValueForm<T>.Instance;
        if (!string.Equals(payload.Type, form.TypeName, StringComparison.Ordinal))
        {
            // Another version of the application (or another method with the same key text) wrote it: not an error.
            Rejected("type");
            return null;
        }

        TimeSpan? remaining = payload.ExpiresAtMs == long.MaxValue ? null : TimeSpan.FromMilliseconds(payload.ExpiresAtMs - _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (remaining <= TimeSpan.Zero)
        {
            Rejected("expired");
            return null;
        }

        // A value with no tags depends on no invalidation; any other is judged by its stamp, while the versions are known
        // to be recent.
        if (payload.Tags.Length > 0)
        {
            var rejection = _versions.Gate is { IsOpen: false } ? StampRejection.Behind : _ledger.Judge(payload.Stamp, payload.Tags);
            if (rejection is { } why)
            {
                Rejected(TelemetryValues.Of(why));
                return null;
            }
        }

        if (Array.Exists(payload.Tags, string.IsNullOrEmpty))
        {
            Unreadable(exception: null, "it names an empty tag");
            return null;
        }

        T value;
        try
        {
            value = form.Deserialize(_settings.Serializer, payload.Value.Span);
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            Unreadable(exception, $"its {form.TypeName} could not be deserialized");
            return null;
        }

        Volatile.Write(ref _unreadableLogged, 0);
        return new SecondLevelHit<T>(value, payload.Tags, remaining);
    }

    /// <summary>
    /// Writes a value computed from <paramref name="start"/> on, with every tag it depends on, to live <paramref name="lifetime"/>.
    /// Never throws: a value too large or that cannot be serialized is counted (and the latter logged once per method and type).
    /// </summary>
    public async ValueTask WriteAsync<T>(object key, T value, LogStamp start, TagStamp[] stamps, TimeSpan lifetime, string? method, CancellationToken cancellationToken)
    {
        byte[] payload;
        DateTimeOffset? expires;
        try
        {
            var form = ValueForm<T>.Instance;
            if (RefusalOf(form.ValueType) is { } refusal)
            {
                NotWritten(method, form.ValueType, refusal, exception: null);
                return;
            }

            var body = new ArrayBufferWriter<byte>();
            try
            {
                form.Serialize(_settings.Serializer, value, body);
            }
            catch (Exception exception) when (Observers.Swallow(exception))
            {
                NotWritten(method, form.ValueType, exception.Message, exception);
                return;
            }

            var now = _time.GetUtcNow();
            expires = lifetime == Timeout.InfiniteTimeSpan || lifetime >= DateTimeOffset.MaxValue - now ? null : now + lifetime;
            var tags = new string[stamps.Length];
            for (var i = 0; i < stamps.Length; i++)
            {
                tags[i] = stamps[i].State.Name;
            }

            payload = SecondLevelPayload.Write(start, expires?.ToUnixTimeMilliseconds() ?? long.MaxValue, form.TypeName, tags, body.WrittenSpan, _settings.CompressAboveBytes);
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            NotWritten(method, typeof(T), exception.Message, exception);
            return;
        }

        if (payload.Length > _settings.MaximumValueBytes)
        {
            Skipped("too_large");
            return;
        }

        try
        {
            var storeKey = KeyOf(key);
            await WithTimeout(
                async (store, token) =>
                {
                    await store.WriteAsync(storeKey, payload, expires, token).ConfigureAwait(false);
                    return null;
                },
                _settings.WriteTimeout,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && Observers.Swallow(exception))
        {
            Fault("write", exception);
            return;
        }

        Healthy();
        _telemetry.Statistics?.SecondLevelBytesWritten.Add(payload.Length);
        Observers.Add(_telemetry.Instruments.SecondLevelBytesWritten, payload.Length, _cacheTag);
    }

    /// <summary>
    /// Reads <paramref name="key"/>'s value; on a miss, with fleet-wide single flight, takes the key's lock (waiting while
    /// another node computes it) and reads again: the other node's value, or the lock for this node's computation, which the
    /// caller releases (<see cref="ReleaseAsync"/>) once its value is written.
    /// </summary>
    public async ValueTask<SecondLevelRead<T>> ReadOrLockAsync<T>(object key, CancellationToken cancellationToken)
    {
        var hit = await ReadAsync<T>(key, cancellationToken).ConfigureAwait(false);
        if (hit is not null || _settings.FleetLockTimeout is not { } timeout)
        {
            return new SecondLevelRead<T>(hit, Lock: null);
        }

        IAsyncDisposable? taken;
        try
        {
            taken = await LockWithin(KeyOf(key), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && Observers.Swallow(exception))
        {
            Fault("lock", exception);
            return default;
        }

        if (taken is null)
        {
            return default;
        }

        // Another node may have computed the key while this one waited for the lock.
        if (await ReadAsync<T>(key, cancellationToken).ConfigureAwait(false) is { } written)
        {
            await ReleaseAsync(taken).ConfigureAwait(false);
            return new SecondLevelRead<T>(written, Lock: null);
        }

        return new SecondLevelRead<T>(Hit: null, taken);
    }

    /// <summary>
    /// Takes the key's lock within its timeout plus a read's: a store that stops answering (a paused server) cannot hold the
    /// computation longer. A lock granted after the wait was given up is released at once, so it never outlives its use.
    /// </summary>
    private async Task<IAsyncDisposable?> LockWithin(string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var locking = _store.LockAsync(key, timeout, cancellationToken).AsTask();
        try
        {
            return await locking.WaitAsync(timeout + _settings.ReadTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = locking.ContinueWith(
                static (late, self) => late.Result is { } granted ? ((SecondLevelCache)self!).ReleaseAsync(granted).AsTask() : Task.CompletedTask,
                this,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Releases a fleet-wide lock. Never throws: a lock whose connection failed is released by the store.</summary>
    public async ValueTask ReleaseAsync(IAsyncDisposable? taken)
    {
        if (taken is null)
        {
            return;
        }

        try
        {
            await taken.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            Fault("lock", exception);
        }
    }

    /// <summary>Removes <paramref name="key"/>'s value (a <c>Remove</c> of the key), so this node does not read it back. Never throws.</summary>
    public async ValueTask RemoveAsync(object key)
    {
        try
        {
            var storeKey = KeyOf(key);
            await WithTimeout(
                async (store, token) =>
                {
                    await store.RemoveAsync(storeKey, token).ConfigureAwait(false);
                    return null;
                },
                _settings.WriteTimeout,
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            Fault("remove", exception);
            return;
        }

        Healthy();
    }

    /// <summary>Cancels the reads and writes under way: the cache is going away.</summary>
    public void Dispose()
    {
        // Not disposed: a read or write racing with disposal may still link to its token.
        _stop.Cancel();
    }

    /// <summary>
    /// The key in the store: the prefix and a hash of the cache and the key's text, so argument values (personal data) never
    /// appear in the store's key space, and any key fits any store.
    /// </summary>
    private string KeyOf(object key)
    {
        var text = key as string ?? key.ToString() ?? string.Empty;
        var bytes = Encoding.UTF8.GetBytes(_cache + "\n" + text);
        return _settings.KeyPrefix + Base64Url.EncodeToString(SHA256.HashData(bytes));
    }

    /// <summary>Runs one operation on the store, bounded by <paramref name="timeout"/> even if the store ignores its token.</summary>
    private async ValueTask<byte[]?> WithTimeout(Func<ISecondLevelStore, CancellationToken, ValueTask<byte[]?>> operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        linked.CancelAfter(timeout);
        try
        {
            return await operation(_store, linked.Token).AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The second level ({_store.Name}) did not answer within {timeout.TotalMilliseconds:0} ms.");
        }
    }

    private void Fault(string operation, Exception exception)
    {
        _telemetry.Statistics?.SecondLevelFaults.Add(1);
        Observers.Add(_telemetry.Instruments.SecondLevelFaults, 1, [_cacheTag[0], new(TelemetryNames.OperationTag, operation)]);
        Interlocked.Increment(ref _outageFaults);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            _telemetry.Logger.SecondLevelDown(exception, _store.Name, _cache, operation);
        }
    }

    private void Healthy()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            _telemetry.Logger.SecondLevelBack(_store.Name, _cache, Interlocked.Exchange(ref _outageFaults, 0));
        }
    }

    private void Unreadable(Exception? exception, string problem)
    {
        _telemetry.Statistics?.SecondLevelFaults.Add(1);
        Observers.Add(_telemetry.Instruments.SecondLevelFaults, 1, [_cacheTag[0], new(TelemetryNames.OperationTag, "payload")]);
        if (Interlocked.Exchange(ref _unreadableLogged, 1) == 0)
        {
            _telemetry.Logger.SecondLevelUnreadable(exception, _store.Name, _cache, problem);
        }
    }

    private void Rejected(string reason)
    {
        _telemetry.Statistics?.SecondLevelRejections.Add(1);
        Observers.Add(_telemetry.Instruments.SecondLevelRejections, 1, [_cacheTag[0], new(TelemetryNames.ReasonTag, reason)]);
    }

    private void Skipped(string reason)
    {
        _telemetry.Statistics?.SecondLevelSkipped.Add(1);
        Observers.Add(_telemetry.Instruments.SecondLevelSkipped, 1, [_cacheTag[0], new(TelemetryNames.ReasonTag, reason)]);
    }

    private void NotWritten(string? method, Type type, string problem, Exception? exception)
    {
        Skipped("not_serializable");
        if (_refusalsLogged.TryAdd((method, type), 0))
        {
            _telemetry.Logger.SecondLevelNotWritten(exception, method ?? "a direct call", _cache, type.ToString(), problem);
        }
    }
}

/// <summary>A value the second level had, that this node may serve: its tags (for the computation that takes it) and what is left of its lifetime.</summary>
internal sealed record SecondLevelHit<T>(T Value, string[] Tags, TimeSpan? Remaining);

/// <summary>What a starting computation found in the second level: a value, or (with fleet-wide single flight) the key's lock.</summary>
internal readonly record struct SecondLevelRead<T>(SecondLevelHit<T>? Hit, IAsyncDisposable? Lock);
