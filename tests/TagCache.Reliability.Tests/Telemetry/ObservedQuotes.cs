using Castle.DynamicProxy;
using Microsoft.Extensions.Logging;
using TagCache.Interception;
using TagCache.Reliability.Tests.Support;
using TagCache.Testing;

namespace TagCache.Reliability.Tests.Telemetry;

public sealed record QuoteChanged(int Id);

/// <summary>A service whose methods each end a computation a different way, all cached in the "otel" cache.</summary>
public interface IQuotes
{
    [CacheWithTags("Quote_{id}", Cache = "otel")]
    string Get(int id);

    [CacheWithTags("Quote_{id}", Cache = "otel")]
    string GetWhileChanged(int id);

    [CacheWithTags("Quote_{id}", Cache = "otel")]
    string Fail(int id);

    [CacheWithTags("Quote_{id}", Cache = "otel")]
    Task<string> CancelAsync(int id, CancellationToken cancellationToken);

    [CacheWithTags("Slow_{id}", Cache = "otel")]
    Task<string> GetSlowAsync(int id);

    [InvalidateTags("Quote_{id}", Cache = "otel")]
    void Touch(int id);
}

public sealed class Quotes(Func<ITagCache> cache) : IQuotes
{
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Get(int id) => "quote " + id;

    public string GetWhileChanged(int id)
    {
        cache().InvalidateTags("Quote_" + id);
        return "changed " + id;
    }

    public string Fail(int id) => throw new InvalidOperationException("no quote " + id);

    public Task<string> CancelAsync(int id, CancellationToken cancellationToken) => Task.FromCanceled<string>(new CancellationToken(canceled: true));

    public async Task<string> GetSlowAsync(int id)
    {
        await Gate.Task.ConfigureAwait(false);
        return "slow " + id;
    }

    public void Touch(int id)
    {
    }
}

/// <summary>The quote service behind TagCache's interceptor, over caches whose tag versions can fail, with a meter and logs of its own.</summary>
internal sealed class ObservedQuotes : IDisposable
{
    public ObservedQuotes()
    {
        Recorder = new TagCacheMetrics();
        var options = new TagCacheOptions().AddCache("otel").InvalidateOn<QuoteChanged>(["Quote_{Id}"], "otel");
        Provider = new TagCacheProvider(options, TimeProvider.System, Logs.Factory, Recorder.Factory, _ => Versions);
        Target = new Quotes(() => Provider.GetCache("otel"));
        Service = new ProxyGenerator().CreateInterfaceProxyWithTarget<IQuotes>(Target, new TagCacheInterceptor(Provider, Logs.Factory.CreateLogger<TagCacheInterceptor>()));
    }

    public TagCacheMetrics Recorder { get; }

    public LogCapture Logs { get; } = new();

    public FailingVersionStore Versions { get; } = new();

    public TagCacheProvider Provider { get; }

    public Quotes Target { get; }

    public IQuotes Service { get; }

    /// <summary>Drives one of every event the meter reports: each miss reason, each outcome, a join, each invalidation origin and a fault.</summary>
    public async Task RunEveryEventAsync()
    {
        Service.Get(1);                                                          // miss absent, stored
        Service.Get(1);                                                          // hit
        Service.Touch(1);                                                        // invalidation: method
        Service.Get(1);                                                          // miss stale, stored
        Service.GetWhileChanged(2);                                              // miss absent, discarded; invalidation: manual
        Assert.ThrowsExactly<InvalidOperationException>(() => Service.Fail(3));  // miss absent, failed
        await Assert.ThrowsAsync<OperationCanceledException>(() => Service.CancelAsync(4, CancellationToken.None)); // miss absent, cancelled
        var first = Service.GetSlowAsync(5);                                     // miss absent, stored
        var second = Service.GetSlowAsync(5);                                    // miss absent, join
        Target.Gate.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(20));
        Provider.Sweeper.Sweep(new QuoteChanged(9));                             // invalidation: event
        Versions.TakeDown();
        Service.Get(6);                                                          // fault, miss bypassed
        Versions.Restore();
    }

    public void Dispose()
    {
        Provider.Dispose();
        Recorder.Dispose();
        Logs.Dispose();
    }
}
