using TagCache.Interception.Handlers;
using TagCache.Resilience;
using TagCache.Scopes;
using TagCache.Stores;
using TagCache.Telemetry;
using TagCache.Templates;

namespace TagCache.Interception.Planning;

/// <summary>What <see cref="CacheWithTagsAttribute"/> asks of one method, compiled once.</summary>
internal sealed class CachePlan
{
    private readonly CompiledTemplate[] _tags;
    private readonly CompiledTemplate[] _resultTags;

    public CachePlan(string method, ITagCache cache, CompiledTemplate key, CallKeyShape? callKeys, CompiledTemplate[] tags, CompiledTemplate[] resultTags, TimeSpan? timeout, int cancellationTokenIndex, Type valueType, CacheFaults faults, ScopeRule? scope = null, ResiliencePolicy? resilience = null, bool secondLevel = true)
    {
        SecondLevel = secondLevel;
        Scope = scope;
        Resilience = resilience ?? ResiliencePolicy.None;
        Invoker = new TargetInvoker(cancellationTokenIndex);
        Method = method;
        Cache = cache;
        Local = cache as ILocalTagCache;
        Site = Local?.SiteOf(method);
        Faults = faults;
        Key = key;
        CallKeys = Local is null ? null : callKeys;
        _tags = tags;
        _resultTags = resultTags;
        Timeout = timeout;
        CancellationTokenIndex = cancellationTokenIndex;
        ValueType = valueType;
    }

    /// <summary>Gets the method as <c>Type.Method</c>, for messages.</summary>
    public string Method { get; }

    /// <summary>Gets what the method's keys vary by besides its arguments (state of the caller's scope); null when they do not.</summary>
    public ScopeRule? Scope { get; }

    public ITagCache Cache { get; }

    /// <summary>Gets the cache as the built-in store, whose span lookup lets a hit allocate nothing; null for other caches.</summary>
    public ILocalTagCache? Local { get; }

    /// <summary>Gets where the built-in store counts this method's reads and computations; null for other caches, which count their own.</summary>
    public SiteTelemetry? Site { get; }

    public CompiledTemplate Key { get; }

    /// <summary>Gets a value indicating whether some tags name the result, so a miss must hand the store a way to reach it.</summary>
    public bool HasResultTags => _resultTags.Length > 0;

    /// <summary>
    /// Gets how the built-in store finds the method's default key by its argument values instead of its text; null for a
    /// Key template (shared with other methods and manual calls by its text), an argument that is not compared by value,
    /// or another cache.
    /// </summary>
    public CallKeyShape? CallKeys { get; }

    /// <summary>Gets where faults of the cache are logged when a call falls back to running uncached.</summary>
    public CacheFaults Faults { get; }

    public TimeSpan? Timeout { get; }

    /// <summary>Gets a value indicating whether the method's values go through its cache's second level (when it has one).</summary>
    public bool SecondLevel { get; }

    /// <summary>Gets the method's resilience settings: its attribute's over its cache's, resolved and checked when planned.</summary>
    public ResiliencePolicy Resilience { get; }

    /// <summary>Gets a value indicating whether a synchronous call's computation runs on the thread pool, so its timeouts can end its wait.</summary>
    public bool RunsDetached => Local is not null && Resilience.HasTimeouts;

    /// <summary>Gets the direct call of the implementation, for computations that outlive the intercepted call.</summary>
    public TargetInvoker Invoker { get; }

    /// <summary>Gets the position of the method's <see cref="CancellationToken"/> parameter, or -1.</summary>
    public int CancellationTokenIndex { get; }

    /// <summary>Gets the type a caller receives (for <c>Task&lt;T&gt;</c> the <c>T</c>).</summary>
    public Type ValueType { get; }

    /// <summary>The values of the caller's scope this call's key varies by; null when the method's keys do not vary.</summary>
    /// <exception cref="InvalidOperationException">The keys vary, but the proxy carries no scope.</exception>
    public ScopeSnapshot? ScopeOf(ProxyScope? scope) => Scope is null ? null : ScopeBinding.Current(scope, Scope, Method);

    public CancellationToken CallerToken(object?[] arguments) =>
        CancellationTokenIndex >= 0 && arguments[CancellationTokenIndex] is CancellationToken token ? token : CancellationToken.None;

    /// <summary>Hands the target the flight's token, which is cancelled only once every caller sharing the call has left.</summary>
    public void PassToken(in TargetCall call, CancellationToken token)
    {
        if (CancellationTokenIndex >= 0)
        {
            call.SetArgument(CancellationTokenIndex, token);
        }
    }

    /// <summary>
    /// The synchronous read-through: through the built-in store's flight token, or any cache's public contract. The key is a
    /// string, or a <see cref="CallKey"/> for the built-in store.
    /// </summary>
    public T GetOrSet<T>(object key, Func<CancellationToken, T> factory, TagCacheEntryOptions options, CancellationToken callerToken) =>
        Local is { } local ? local.GetOrSet(key, factory, options, callerToken) : Cache.GetOrSet((string)key, () => factory(callerToken), options);

    /// <summary>
    /// The asynchronous read-through, with the caller's token for its wait (the factory receives the flight's); with the
    /// built-in store, <paramref name="joined"/> is the running flight where this caller may share its answer.
    /// </summary>
    public ValueTask<T> GetOrSetAsync<T>(object key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions options, CancellationToken callerToken, out Flight? joined)
    {
        if (Local is { } local)
        {
            return local.GetOrSetAsync(key, factory, options, callerToken, out joined);
        }

        joined = null;
        return Cache.GetOrSetAsync((string)key, factory, options, callerToken);
    }

    /// <summary>Starts the background refresh of a hit the cache found due; only the built-in store reports one.</summary>
    public void Refresh<T>(object key, TagCacheEntryOptions options, Func<CancellationToken, ValueTask<T>> factory) => Local?.Refresh(key, options, factory);

    /// <inheritdoc cref="Refresh{T}(object, TagCacheEntryOptions, Func{CancellationToken, ValueTask{T}})"/>
    public void Refresh<T>(object key, TagCacheEntryOptions options, Func<CancellationToken, T> factory) => Local?.Refresh(key, options, factory);

    /// <summary>
    /// Options for one miss. Tags over the arguments are formatted now, before the target can change its arguments;
    /// tags over the result are handed to the store, which checks them like tags learned late.
    /// </summary>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="unwrap">Turns the stored value into the method's result (e.g. a completed task into its value).</param>
    /// <param name="scope">The caller's scope values the key varies by; with partitioned tags, each tag is also stamped per scope.</param>
    public TagCacheEntryOptions CreateOptions(object?[] arguments, Func<object?, object?>? unwrap, ScopeSnapshot? scope)
    {
        // With partitioned tags an entry carries each tag twice: as written, so invalidations from anywhere reach it, and
        // partitioned by its scope, for invalidations made in that scope. With the built-in store the read was counted by
        // CacheLookup; any other cache is told the method to tag its computations.
        IReadOnlyCollection<string> tags = TagFormatting.Format(_tags, arguments, result: null, Method);
        var options = new TagCacheEntryOptions { Tags = scope?.Stamped(tags) ?? tags, Timeout = Timeout, Site = Site, Method = Method, Policy = Resilience, SecondLevel = SecondLevel };
        if (_resultTags.Length > 0)
        {
            var resultTags = _resultTags;
            var method = Method;
            options.ResultTags = value =>
            {
                IReadOnlyCollection<string> derived = TagFormatting.Format(resultTags, arguments, unwrap is null ? value : unwrap(value), method);
                return scope?.Stamped(derived) ?? derived;
            };
        }

        return options;
    }

}
