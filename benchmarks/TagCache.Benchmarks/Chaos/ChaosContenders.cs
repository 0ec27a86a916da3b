using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace TagCache.Benchmarks.Chaos;

/// <summary>A cache in front of the <see cref="ChaosSource"/>: a read of a quote, and the invalidation a write makes.</summary>
public interface IChaosContender : IDisposable
{
    string Name { get; }

    Task<Quote> GetAsync(int id);

    ValueTask InvalidateAsync(int id);
}

/// <summary>The settings both caches get: a second's entries, a minute of fail-safe, 100 ms soft and 1.5 s hard timeouts, eager refresh at 80 %.</summary>
public static class ChaosSettings
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan FailSafeMax = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Throttle = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan SoftTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan HardTimeout = TimeSpan.FromMilliseconds(1500);
    public const float EagerRefresh = 0.8f;
}

public interface IChaosQuotes
{
    [CacheWithTags("Quote_{id}", Timeout = 1, FailSafeMaxDuration = 60, FailSafeThrottleDuration = 1, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1500, EagerRefreshThreshold = 0.8)]
    Task<Quote> GetAsync(int id);

    [CacheWithTags("Quote_{id}", Timeout = 1, FailSafeMaxDuration = 60, FailSafeThrottleDuration = 1, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1500, EagerRefreshThreshold = 0.8, Hedge = true)]
    Task<Quote> GetHedgedAsync(int id);

    [CacheWithTags("Quote_{id}", Timeout = 1, FailSafeMaxDuration = 60, FailSafeThrottleDuration = 1, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1500, EagerRefreshThreshold = 0.8, FallbackAfterInvalidation = true)]
    Task<Quote> GetEvenInvalidatedAsync(int id);
}

/// <summary>Which of TagCache's variants a contender runs.</summary>
public enum TagCacheVariant
{
    /// <summary>The same settings as FusionCache's.</summary>
    Same,

    /// <summary>The same, and a hedge when the soft timeout passes with no fallback allowed.</summary>
    Hedge,

    /// <summary>The same, and fallbacks after an invalidation (the opt-in).</summary>
    FallbackAfterInvalidation,
}

public sealed class ChaosQuotes(ChaosSource source) : IChaosQuotes
{
    public Task<Quote> GetAsync(int id) => source.ReadAsync(id, CancellationToken.None);

    public Task<Quote> GetHedgedAsync(int id) => source.ReadAsync(id, CancellationToken.None);

    public Task<Quote> GetEvenInvalidatedAsync(int id) => source.ReadAsync(id, CancellationToken.None);
}

/// <summary>TagCache: a proxied service whose attribute carries the settings, invalidated by tag.</summary>
public sealed class TagCacheContender : IChaosContender
{
    private readonly ServiceProvider _services;
    private readonly IChaosQuotes _quotes;
    private readonly ITagCache _cache;
    private readonly TagCacheVariant _variant;

    public TagCacheContender(ChaosSource source, TagCacheVariant variant)
    {
        _variant = variant;
        _services = new ServiceCollection()
            .AddTagCache()
            .AddSingleton(source)
            .AddSingleton<IChaosQuotes, ChaosQuotes>()
            .AddTagCaching<IChaosQuotes>()
            .BuildServiceProvider();
        _quotes = _services.GetRequiredService<IChaosQuotes>();
        _cache = _services.GetRequiredService<ITagCache>();
    }

    public string Name => _variant switch
    {
        TagCacheVariant.Same => "TagCache",
        TagCacheVariant.Hedge => "TagCache + Hedge",
        _ => "TagCache + FallbackAfterInvalidation",
    };

    public Task<Quote> GetAsync(int id) => _variant switch
    {
        TagCacheVariant.Same => _quotes.GetAsync(id),
        TagCacheVariant.Hedge => _quotes.GetHedgedAsync(id),
        _ => _quotes.GetEvenInvalidatedAsync(id),
    };

    public ValueTask InvalidateAsync(int id) => _cache.InvalidateTagsAsync([$"Quote_{id}"]);

    public void Dispose() => _services.Dispose();
}

/// <summary>FusionCache 2.9, memory level, with the same settings as its documentation names them, invalidated by tag.</summary>
public sealed class FusionCacheContender(ChaosSource source) : IChaosContender
{
    private readonly FusionCache _cache = new(new FusionCacheOptions
    {
        DefaultEntryOptions = new FusionCacheEntryOptions
        {
            Duration = ChaosSettings.Duration,
            IsFailSafeEnabled = true,
            FailSafeMaxDuration = ChaosSettings.FailSafeMax,
            FailSafeThrottleDuration = ChaosSettings.Throttle,
            FactorySoftTimeout = ChaosSettings.SoftTimeout,
            FactoryHardTimeout = ChaosSettings.HardTimeout,
            EagerRefreshThreshold = ChaosSettings.EagerRefresh,
        },
    });

    public string Name => "FusionCache 2.9";

    public Task<Quote> GetAsync(int id) =>
        _cache.GetOrSetAsync<Quote>($"quote:{id}", (_, token) => source.ReadAsync(id, token), tags: [$"Quote_{id}"]).AsTask();

    public ValueTask InvalidateAsync(int id) => _cache.RemoveByTagAsync($"Quote_{id}");

    public void Dispose() => _cache.Dispose();
}
