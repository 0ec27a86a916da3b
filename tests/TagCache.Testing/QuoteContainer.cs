using Autofac;
using Microsoft.Extensions.Time.Testing;

namespace TagCache.Testing;

/// <summary>
/// An Autofac container with <see cref="IQuoteService"/> proxied over a <see cref="QuoteSource"/>, a fake clock, statistics on,
/// and a "resilient" cache whose own settings are fail-safe for an hour (entries of a minute) and eager refresh at 80 %.
/// </summary>
public sealed class QuoteContainer : IDisposable
{
    private readonly IContainer _container;

    public QuoteContainer(Action<TagCacheOptions>? configure = null, Action<ContainerBuilder>? register = null)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(options =>
        {
            options.TrackStatistics = true;
            options.AddCache("resilient", cache =>
            {
                cache.DefaultTimeout = TimeSpan.FromMinutes(1);
                cache.Resilience.FailSafeMaxDuration = TimeSpan.FromHours(1);
                cache.Resilience.EagerRefreshThreshold = 0.8;
            });
            configure?.Invoke(options);
        });
        builder.RegisterInstance(Time).As<TimeProvider>();
        builder.RegisterInstance(new QuoteService(Source)).As<IQuoteService>().EnableTagCaching();
        register?.Invoke(builder);
        _container = builder.Build();
        Quotes = _container.Resolve<IQuoteService>();
    }

    public FakeTimeProvider Time { get; } = new();

    public QuoteSource Source { get; } = new();

    public IQuoteService Quotes { get; }

    public TagCacheProvider Caches => (TagCacheProvider)_container.Resolve<ITagCacheProvider>();

    /// <summary>Gets the default cache's statistics.</summary>
    public TagCacheStatistics Statistics => Caches.GetCurrentStatistics()!;

    public void Dispose() => _container.Dispose();
}

/// <summary>Moves fake time for calls that wait on it.</summary>
public static class FakeTimeDriving
{
    /// <summary>
    /// Moves time on by <paramref name="step"/>, pausing for real between steps so waiting threads can arm their timers,
    /// until <paramref name="call"/> completes (or <paramref name="most"/> has passed), and returns it.
    /// </summary>
    public static async Task<T> AdvanceUntilDone<T>(this FakeTimeProvider time, Task<T> call, TimeSpan step, TimeSpan most)
    {
        var moved = TimeSpan.Zero;
        while (!call.IsCompleted && moved < most)
        {
            await Task.Delay(2);
            time.Advance(step);
            moved += step;
        }

        return await call.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits (for real) until <paramref name="condition"/> holds, failing after 30 seconds.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 30 s for {what}.");
            }

            await Task.Delay(2);
        }
    }
}
