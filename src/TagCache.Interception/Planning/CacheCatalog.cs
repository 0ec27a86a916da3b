namespace TagCache.Interception.Planning;

/// <summary>
/// The named caches a plan may use. When the container is built only the configured names exist (checking needs no
/// cache); at run time the provider hands out the caches themselves.
/// </summary>
internal sealed class CacheCatalog
{
    private readonly ITagCacheProvider? _provider;
    private readonly IReadOnlyCollection<string>? _names;
    private readonly TagCacheOptions? _options;
    private bool? _anyVaries;

    private CacheCatalog(ITagCacheProvider? provider, IReadOnlyCollection<string>? names, TagCacheOptions? options = null)
    {
        _provider = provider;
        _names = names;
        _options = options;
    }

    /// <summary>Gets a catalog for checking before the options exist: every name is accepted, and checked later.</summary>
    public static CacheCatalog AnyName { get; } = new(provider: null, names: null);

    /// <summary>Caches resolved from <paramref name="provider"/> (any <see cref="ITagCacheProvider"/>).</summary>
    public static CacheCatalog Of(ITagCacheProvider provider) => new(provider, []);

    /// <summary>The configured caches' names and settings: for checking a service before any cache exists.</summary>
    public static CacheCatalog Configured(TagCacheOptions options) => new(provider: null, options.CacheNames, options);

    public bool CanResolve => _provider is not null;

    /// <summary>Gets a value indicating whether any cache's entries vary by state of the caller's scope.</summary>
    public bool AnyVaries => _anyVaries ??= _provider is TagCacheProvider provider
        && provider.CacheNames.Any(name => (provider.GetCache(name) as Stores.ILocalTagCache)?.Scope?.Rule is not null);

    /// <summary>
    /// Gets the resilience settings and default timeout of the cache called <paramref name="name"/>: the cache's own once
    /// it exists, the options' before; none (and no timeout known) when neither is at hand.
    /// </summary>
    public (Resilience.ResiliencePolicy Policy, TimeSpan? DefaultTimeout) SettingsOf(string name, ITagCache? cache) =>
        cache is Stores.ILocalTagCache local ? (local.Resilience, local.DefaultTimeout)
        : _options is not null && _options.CacheNames.Contains(name) ? (_options.ResilienceFor(name), _options.GetCacheOptions(name).DefaultTimeout ?? _options.DefaultTimeout)
        : (Resilience.ResiliencePolicy.None, null);

    /// <summary>Gets the serializer of the second level of the cache called <paramref name="name"/>; null when it has none (or it is not known yet).</summary>
    public ITagCacheSerializer? SecondLevelOf(string name, ITagCache? cache) =>
        cache is Stores.ILocalTagCache local ? local.SecondLevelSerializer
        : _options is not null && _options.CacheNames.Contains(name) ? _options.SecondLevelFor(name)?.Serializer
        : null;

    /// <summary>Finds the cache called <paramref name="name"/>; on failure describes the problem and its fix.</summary>
    public bool TryFind(string name, string label, out ITagCache? cache, out string? problem)
    {
        cache = null;
        problem = null;
        if (_provider is null)
        {
            if (_names is null || _names.Contains(name))
            {
                return true;
            }

            problem = $"{label} names the cache '{name}', which is not configured (configured: {string.Join(", ", _names)}). " +
                $"Add it with options.AddCache(\"{name}\") in AddTagCache, or set Cache to a configured name.";
            return false;
        }

        try
        {
            cache = _provider.GetCache(name);
            return true;
        }
        catch (KeyNotFoundException exception)
        {
            problem = $"{label} names the cache '{name}': {exception.Message}";
            return false;
        }
    }
}
