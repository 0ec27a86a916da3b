using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TagCache;

/// <summary>Creates TagCache without a container (console tools, tests); containers use their <c>AddTagCache</c> extension.</summary>
public static class TagCacheFactory
{
    /// <summary>Creates the configured named caches.</summary>
    /// <param name="configure">Sets defaults and adds named caches.</param>
    /// <param name="timeProvider">The clock for expiry; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the caches log; <see langword="null"/> means no logging.</param>
    /// <param name="meterFactory">Makes the <c>TagCache</c> meter, so a host can tell its meters apart; <see langword="null"/> means a meter the provider owns.</param>
    /// <returns>The caches; dispose them when done.</returns>
    /// <exception cref="TagCacheConfigurationException">An <c>InvalidateOn</c> rule names an unknown cache or member.</exception>
    public static TagCacheProvider Create(Action<TagCacheOptions>? configure = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        var options = new TagCacheOptions();
        configure?.Invoke(options);
        return Create(options, timeProvider, loggerFactory, meterFactory);
    }

    /// <summary>Creates the caches described by <paramref name="options"/> (for example <c>IOptions&lt;TagCacheOptions&gt;.Value</c>).</summary>
    /// <param name="options">Defaults, named caches and <c>InvalidateOn</c> rules.</param>
    /// <param name="timeProvider">The clock for expiry; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the caches log; <see langword="null"/> means no logging.</param>
    /// <param name="meterFactory">Makes the <c>TagCache</c> meter, so a host can tell its meters apart; <see langword="null"/> means a meter the provider owns.</param>
    /// <returns>The caches; dispose them when done.</returns>
    /// <exception cref="TagCacheConfigurationException">An <c>InvalidateOn</c> rule names an unknown cache or member.</exception>
    public static TagCacheProvider Create(TagCacheOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TagCacheProvider(options, timeProvider ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance, meterFactory);
    }

    /// <summary>
    /// Gets the <see cref="ICacheSweeper"/> that applies the <c>InvalidateOn</c> registrations to <paramref name="caches"/>;
    /// the same as <see cref="TagCacheProvider.Sweeper"/>. Containers register it as <see cref="ICacheSweeper"/>.
    /// </summary>
    /// <param name="caches">Caches created by <see cref="Create(Action{TagCacheOptions}?, TimeProvider?, ILoggerFactory?, System.Diagnostics.Metrics.IMeterFactory?)"/> or resolved from a container set up by <c>AddTagCache</c>.</param>
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
