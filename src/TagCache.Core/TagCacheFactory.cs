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

    /// <summary>
    /// Gets the <see cref="ICacheSweeper"/> that applies the <see cref="TagCacheOptions.InvalidateOn{TEvent}(Func{TEvent, IEnumerable{string}}, string?)"/> registrations
    /// to <paramref name="caches"/>. Containers register it as <see cref="ICacheSweeper"/>; this is for code without one.
    /// </summary>
    /// <param name="caches">Caches created by <see cref="Create"/> or resolved from a container set up by <c>AddTagCache</c>.</param>
    /// <returns>The sweeper; the same instance for the same caches.</returns>
    /// <exception cref="ArgumentException"><paramref name="caches"/> is another implementation of <see cref="ITagCacheProvider"/>.</exception>
    public static ICacheSweeper GetSweeper(ITagCacheProvider caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        return caches is TagCacheProvider provider
            ? provider.Sweeper
            : throw new ArgumentException(
                $"{caches.GetType().Name} was not created by TagCache, so it has no InvalidateOn registrations. " +
                "Pass the provider from TagCacheFactory.Create or from a container set up with AddTagCache.",
                nameof(caches));
    }
}
