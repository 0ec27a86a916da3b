using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagCache.Stores;

namespace TagCache;

/// <summary>Creates TagCache without a container (console tools, tests); containers use their <c>AddTagCache</c> extension.</summary>
public static class TagCacheFactory
{
    /// <summary>Creates the configured named caches.</summary>
    /// <param name="configure">Sets defaults and adds named caches.</param>
    /// <param name="timeProvider">The clock for expiry; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where background sweeps log; <see langword="null"/> means no logging.</param>
    /// <returns>A provider that is also <see cref="IDisposable"/>; dispose it to stop background sweeps.</returns>
    public static ITagCacheProvider Create(Action<TagCacheOptions>? configure = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        var options = new TagCacheOptions();
        configure?.Invoke(options);
        return new TagCacheProvider(options, timeProvider ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
    }
}
