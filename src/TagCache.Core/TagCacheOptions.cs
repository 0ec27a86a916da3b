using TagCache.Resilience;

namespace TagCache;

/// <summary>Configures TagCache: defaults for every cache, and the named caches.</summary>
public sealed class TagCacheOptions
{
    /// <summary>The name of the cache that always exists and that attributes use when they name none.</summary>
    public const string DefaultCacheName = "default";

    private readonly Dictionary<string, NamedCacheOptions> _caches = new(StringComparer.Ordinal)
    {
        [DefaultCacheName] = new NamedCacheOptions(),
    };

    private readonly List<Events.InvalidationRule> _invalidationRules = [];
    private readonly List<DeclaredTag> _declaredTags = [];

    private TimeSpan _defaultTimeout = TimeSpan.FromHours(1);
    private long? _sizeLimit;
    private TimeSpan _reclaimInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long entries live when neither the call nor the named cache says otherwise.
    /// <see cref="Timeout.InfiniteTimeSpan"/>, or a timeout too long to date (such as <see cref="TimeSpan.MaxValue"/>), means never.
    /// </summary>
    /// <value>The default value is 1 hour.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan DefaultTimeout
    {
        get => _defaultTimeout;
        set => _defaultTimeout = Stores.Timeouts.Valid(value, nameof(DefaultTimeout));
    }

    /// <summary>Gets or sets the most entries each cache holds; beyond it the memory cache compacts.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? SizeLimit
    {
        get => _sizeLimit;
        set => _sizeLimit = value is <= 0 ? throw new ArgumentOutOfRangeException(nameof(value), value, "SizeLimit must be positive, or null for no limit.") : value;
    }

    /// <summary>
    /// Gets or sets the longest time between an invalidation and the background pass that reclaims the memory of the entries
    /// it made stale. Stale entries are never served in the meantime; this only returns their memory.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan ReclaimInterval
    {
        get => _reclaimInterval;
        set => _reclaimInterval = Positive(value, nameof(ReclaimInterval));
    }

    /// <summary>Gets or sets <see cref="ReclaimInterval"/> under its former name.</summary>
    /// <value>The same value as <see cref="ReclaimInterval"/>.</value>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public TimeSpan SweepInterval
    {
        get => ReclaimInterval;
        set => ReclaimInterval = value;
    }

    /// <summary>
    /// Gets or sets a value indicating whether each cache counts what it does for <see cref="TagCacheProvider.GetCurrentStatistics"/>
    /// (the counterpart of <c>MemoryCacheOptions.TrackStatistics</c>). Metrics and traces need no option: they cost nothing
    /// until a listener subscribes to the <c>TagCache</c> meter or activity source.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TrackStatistics { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an invalidation that can match no cached tag fails the container build. The
    /// build compares every <see cref="InvalidateTagsAttribute"/> template and every template <c>InvalidateOn</c> rule with
    /// the tag templates of the cached methods of the same cache (and with <see cref="DeclareTags"/>); one that none of them
    /// can produce is a <see cref="TagCacheConfigurationException"/>, or with this option off a Warning log (event id 201).
    /// </summary>
    /// <value>The default value is <see langword="true"/>: a mistyped tag would otherwise leave stale data in place silently.</value>
    public bool StrictInvalidation { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a service whose interface (or implementation) has <see cref="CacheWithTagsAttribute"/>
    /// or <see cref="InvalidateTagsAttribute"/> methods may be registered without TagCache's proxy (no <c>EnableTagCaching()</c> /
    /// <c>AddTagCaching&lt;T&gt;()</c>), where it would cache and invalidate nothing. Off, such a registration fails the container
    /// build (Autofac) or the first resolve of the caches and the host's start (Microsoft DI); on, it is a Warning log (event id 202).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowUnproxiedServices { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an implementation may call its own cached or invalidating methods. Such a call
    /// bypasses the proxy: nothing is cached and nothing invalidated. The build reads each proxied implementation's code for
    /// calls of those methods on the same class; off, one fails the build, on, it is a Warning log (event id 203).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowSelfCalls { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <c>services.AddTagCaching&lt;T&gt;()</c> (Microsoft DI) wraps services in the
    /// decorators TagCache's source generator writes, where the project that calls it has one: no run-time code generation,
    /// cheaper calls, usable with trimming and Native AOT. Off, or without a decorator, services get a Castle proxy (as with
    /// Autofac), with the same behaviour.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseGeneratedDecorators { get; set; } = true;

    /// <summary>
    /// Gets what the entries of every cache vary by besides the arguments: state of the caller's scope (the tenant, the
    /// current user), e.g. <c>options.Scope.VaryBy((TenantContext t) =&gt; t.TenantId)</c>, or nothing, declared with
    /// <see cref="TagCacheScopeOptions.SharedAcrossScopes"/>. A named cache's <see cref="NamedCacheOptions.Scope"/> and a
    /// service's own declaration replace it.
    /// </summary>
    public TagCacheScopeOptions Scope { get; } = new();

    /// <summary>
    /// Gets how every cache keeps answering when a source is slow or failing: fail-safe, timeouts, eager refresh, jitter. A
    /// named cache's <see cref="NamedCacheOptions.Resilience"/>, a method's attribute and a call's
    /// <see cref="TagCacheEntryOptions.Resilience"/> override what they set.
    /// </summary>
    public TagCacheResilienceOptions Resilience { get; } = new();

    /// <summary>
    /// Shares values between nodes through a second level: any <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/>
    /// (Redis, SQL Server, …). A miss in memory asks it before computing, and a computed value is written to it, stamped with
    /// where its computation started in the invalidation log and every tag it depends on; a node accepts a value only if
    /// none of those tags was invalidated after that stamp, as far as it has read the log. Values are shared between nodes
    /// only with shared tag versions (<c>UsePostgres</c>): with versions in memory, a value is accepted only by the
    /// process that wrote it (still useful when memory evicted it). Turn it off per cache with
    /// <see cref="NamedCacheOptions.SecondLevel"/>, per method with <c>[CacheWithTags(SecondLevel = false)]</c>, per call with
    /// <see cref="TagCacheEntryOptions.SecondLevel"/>.
    /// <code>
    /// builder.AddTagCache(options => options
    ///     .UsePostgres(connectionString)
    ///     .UseSecondLevel(new RedisCache(new RedisCacheOptions { Configuration = "redis:6379" })));
    /// </code>
    /// </summary>
    /// <param name="store">Where values go; the caller (or its container) owns it.</param>
    /// <param name="configure">Timeouts, size limit, compression, serializer.</param>
    /// <returns>The options, for chaining.</returns>
    /// <exception cref="ArgumentException">A second level was configured already.</exception>
    public TagCacheOptions UseSecondLevel(Microsoft.Extensions.Caching.Distributed.IDistributedCache store, Action<TagCacheSecondLevelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var settings = new TagCacheSecondLevelOptions();
        configure?.Invoke(settings);
        SetSecondLevel(new SecondLevel.SecondLevelRegistration(_ => new SecondLevel.DistributedSecondLevelStore(store), settings.Resolve()));
        return this;
    }

    /// <summary>Gets what <see cref="UseSecondLevel"/> (or an engine's package) configured; null without a second level.</summary>
    internal SecondLevel.SecondLevelRegistration? SecondLevelRegistration { get; private set; }

    /// <summary>Sets the second level, once.</summary>
    /// <exception cref="ArgumentException">A second level was configured already.</exception>
    internal void SetSecondLevel(SecondLevel.SecondLevelRegistration registration) =>
        SecondLevelRegistration = SecondLevelRegistration is null ? registration
            : throw new ArgumentException("A second level was configured already (UseSecondLevel, or UsePostgres with UseSecondLevel); configure one.", nameof(registration));

    /// <summary>The second-level settings of <paramref name="cache"/>: null when there is no second level or the cache turned it off.</summary>
    internal SecondLevel.SecondLevelSettings? SecondLevelFor(string cache) =>
        SecondLevelRegistration is { } registration && (!_caches.TryGetValue(cache, out var named) || named.SecondLevel) ? registration.Settings : null;

    /// <summary>Gets what traces and logs may contain: keys, and how many tags an invalidation records.</summary>
    public TagCacheTelemetryOptions Telemetry { get; } = new();

    /// <summary>
    /// Declares tags that code adds at run time, which the build cannot see in attributes: <see cref="CacheTags.Append"/>,
    /// <see cref="ITagCache.GetOrSet{T}"/> with tags, <see cref="TagCacheEntryOptions.ResultTags"/>. The invalidation check
    /// (see <see cref="StrictInvalidation"/>) counts them as cached tags. Write each in template form, with any placeholder
    /// for a value: <c>DeclareTags(["Product_{id}"], cache: "catalog")</c>.
    /// </summary>
    /// <param name="tagTemplates">The tags, with a placeholder (<c>{...}</c>) wherever a value goes.</param>
    /// <param name="cache">The cache whose entries carry them; <see langword="null"/> means <see cref="DefaultCacheName"/>.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException">A template is null or empty, or has a <c>{</c> that is not closed.</exception>
    public TagCacheOptions DeclareTags(IEnumerable<string> tagTemplates, string? cache = null)
    {
        ArgumentNullException.ThrowIfNull(tagTemplates);
        var name = ValidCacheName(cache);
        foreach (var template in tagTemplates)
        {
            ArgumentException.ThrowIfNullOrEmpty(template, nameof(tagTemplates));
            _declaredTags.Add(new DeclaredTag(name, template, Templates.TagShape.Parse(template)));
        }

        return this;
    }

    /// <summary>Gets the names of the configured caches, <see cref="DefaultCacheName"/> included.</summary>
    public IReadOnlyCollection<string> CacheNames => _caches.Keys;

    /// <summary>Adds a named cache with its own entries and tag versions (the counterpart of a Django cache alias).</summary>
    /// <param name="name">The cache name, used by <c>Cache = "name"</c> on attributes and by <see cref="ITagCacheProvider.GetCache"/>.</param>
    /// <param name="configure">Overrides the defaults for this cache.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is empty or already added.</exception>
    public TagCacheOptions AddCache(string name, Action<NamedCacheOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var cache = new NamedCacheOptions();
        configure?.Invoke(cache);
        if (name == DefaultCacheName)
        {
            _caches[name] = cache;
            return this;
        }

        if (!_caches.TryAdd(name, cache))
        {
            throw new ArgumentException($"A cache named '{name}' is already added.", nameof(name));
        }

        return this;
    }

    /// <summary>
    /// Registers the tags to invalidate when an event of type <typeparamref name="TEvent"/> (or of a type derived from it,
    /// or implementing it) is passed to <see cref="ICacheSweeper.Sweep"/>: the counterpart of django-cache-tags' registry
    /// of model save/delete signals. Several registrations per event type are allowed; all of them apply. Format the tags
    /// with <see cref="CacheTags.Format"/> (e.g. <c>e =&gt; [CacheTags.Format($"Day_{e.Date}")]</c>) so they match the tags
    /// templates stamp, or use the template overload.
    /// </summary>
    /// <typeparam name="TEvent">The event type, a base type or an interface of the events to react to.</typeparam>
    /// <param name="tags">Returns the tags the event invalidates, e.g. <c>e =&gt; [$"Product_{e.ProductId}"]</c>.</param>
    /// <param name="cache">The cache whose tags are invalidated; <see langword="null"/> means <see cref="DefaultCacheName"/>.
    /// An unknown name fails when the caches are built (the container, or <see cref="TagCacheFactory.Create(Action{TagCacheOptions}?, TimeProvider?, Microsoft.Extensions.Logging.ILoggerFactory?, System.Diagnostics.Metrics.IMeterFactory?)"/>).</param>
    /// <returns>These options, for chaining.</returns>
    public TagCacheOptions InvalidateOn<TEvent>(Func<TEvent, IEnumerable<string>> tags, string? cache = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        _invalidationRules.Add(Events.InvalidationRule.Create(tags, ValidCacheName(cache)));
        return this;
    }

    /// <summary>
    /// Registers tag templates over the members of <typeparamref name="TEvent"/> to invalidate when such an event is swept,
    /// e.g. <c>InvalidateOn&lt;ProductChanged&gt;("Product_{ProductId}", "Category_{Category.Id}")</c>. Values are formatted
    /// exactly as in <see cref="CacheWithTagsAttribute"/> templates, and an unknown member fails when the caches are built.
    /// </summary>
    /// <typeparam name="TEvent">The event type, a base type or an interface of the events to react to.</typeparam>
    /// <param name="tagTemplates">Tag templates whose names are public properties or fields of the event.</param>
    /// <returns>These options, for chaining.</returns>
    public TagCacheOptions InvalidateOn<TEvent>(params string[] tagTemplates) => InvalidateOn<TEvent>(tagTemplates, cache: null);

    /// <summary>Registers tag templates over the members of <typeparamref name="TEvent"/>, invalidated in the named cache.</summary>
    /// <typeparam name="TEvent">The event type, a base type or an interface of the events to react to.</typeparam>
    /// <param name="tagTemplates">Tag templates whose names are public properties or fields of the event.</param>
    /// <param name="cache">The cache whose tags are invalidated; <see langword="null"/> means <see cref="DefaultCacheName"/>.</param>
    /// <returns>These options, for chaining.</returns>
    public TagCacheOptions InvalidateOn<TEvent>(IEnumerable<string> tagTemplates, string? cache)
    {
        ArgumentNullException.ThrowIfNull(tagTemplates);
        string[] templates = [.. tagTemplates];
        if (templates.Length == 0)
        {
            throw new ArgumentException("Give at least one tag template, e.g. \"Product_{ProductId}\".", nameof(tagTemplates));
        }

        _invalidationRules.Add(Events.InvalidationRule.FromTemplates<TEvent>(templates, ValidCacheName(cache)));
        return this;
    }

    /// <summary>Gets the <see cref="InvalidateOn{TEvent}(Func{TEvent, IEnumerable{string}}, string?)"/> registrations, in registration order.</summary>
    internal IReadOnlyList<Events.InvalidationRule> InvalidationRules => _invalidationRules;

    private static string ValidCacheName(string? cache)
    {
        if (cache is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(cache);
        }

        return cache ?? DefaultCacheName;
    }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");

    internal NamedCacheOptions GetCacheOptions(string name) => _caches[name];

    /// <summary>What the entries of <paramref name="cache"/> vary by: the named cache's declaration, else every cache's; null if neither declares.</summary>
    internal TagCacheScopeOptions? ScopeFor(string cache) =>
        _caches.TryGetValue(cache, out var named) && named.Scope.IsDeclared ? named.Scope
        : Scope.IsDeclared ? Scope
        : null;

    /// <summary>The resilience settings of <paramref name="cache"/>'s entries: every cache's, overridden by the named cache's.</summary>
    internal ResiliencePolicy ResilienceFor(string cache) =>
        ResiliencePolicy.None.Over(Resilience).Over(_caches.TryGetValue(cache, out var named) ? named.Resilience : null);

    /// <summary>
    /// Reports every problem of the registrations that name a cache or an event's members (<c>InvalidateOn</c>,
    /// <see cref="DeclareTags"/>) at once; run before any cache is built, by every entry point.
    /// </summary>
    /// <exception cref="TagCacheConfigurationException">A registration names a cache that is not configured, or a template does not fit its event.</exception>
    internal void ThrowIfInvalid()
    {
        var names = CacheNames;
        var problems = _invalidationRules
            .SelectMany(r => r.FindProblems(names.Contains, names))
            .Concat(_declaredTags
                .Where(d => !names.Contains(d.Cache))
                .Select(d => $"options.DeclareTags([\"{d.Template}\"], cache: \"{d.Cache}\") names the cache '{d.Cache}', which is not configured " +
                    $"(configured: {string.Join(", ", names)}). Add it with options.AddCache(\"{d.Cache}\"), or pass a configured cache name."))
            .Concat(Scope.FindProblems("options.Scope"))
            .Concat(_caches.SelectMany(c => c.Value.Scope.FindProblems($"the Scope of cache '{c.Key}'")))
            .Concat(_caches.SelectMany(c => ResilienceFor(c.Key).FindProblems(c.Value.DefaultTimeout ?? DefaultTimeout)
                .Select(problem => $"The Resilience of cache '{c.Key}' (options.Resilience, then its own): {problem}")))
            .Distinct()
            .ToList();
        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException(problems, "TagCache options (InvalidateOn, DeclareTags, Scope, Resilience)");
        }
    }

    /// <summary>
    /// Gets or sets what makes the tag versions every node shares (set by <c>UsePostgres</c> in <c>TagCache.Postgres</c>);
    /// <see langword="null"/> keeps them in this process.
    /// </summary>
    internal Func<Microsoft.Extensions.Logging.ILoggerFactory, TimeProvider, Tags.ISharedTagVersions>? SharedVersions { get; set; }

    /// <summary>Gets the <see cref="DeclareTags"/> registrations.</summary>
    internal IReadOnlyList<DeclaredTag> DeclaredTags => _declaredTags;

    /// <summary>A tag template added at run time, declared for the build-time invalidation check.</summary>
    internal sealed record DeclaredTag(string Cache, string Template, Templates.TagShape Shape);
}
