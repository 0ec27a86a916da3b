using Microsoft.Extensions.Logging.Testing;
using TagCache.Testing;

namespace TagCache.Core.Tests.Telemetry;

/// <summary>Caches made with a meter factory, logger factory and options of one test, and what they report.</summary>
internal sealed class ObservedCaches : IDisposable
{
    public ObservedCaches(Action<TagCacheOptions>? configure = null, TimeProvider? time = null)
    {
        Recorder = new TagCacheMetrics();
        Provider = TagCacheFactory.Create(configure, time, loggerFactory: Logs.Factory, meterFactory: Recorder.Factory);
    }

    public TagCacheMetrics Recorder { get; }

    public LogCapture Logs { get; } = new();

    public TagCacheProvider Provider { get; }

    public ITagCache Cache => Provider.GetCache(TagCacheOptions.DefaultCacheName);

    /// <summary>The number of reads counted with these tags (besides the cache's).</summary>
    public double Requests(params (string Name, object? Value)[] tags) => Recorder.Sum("tagcache.requests", [("tagcache.cache", "default"), .. tags]);

    public double Computations(string outcome) => Recorder.Sum("tagcache.computations", ("tagcache.cache", "default"), ("tagcache.outcome", outcome));

    public IReadOnlyList<FakeLogRecord> LogsWithId(int id) => [.. Logs.Records.Where(e => e.Id.Id == id)];

    public void Dispose()
    {
        Provider.Dispose();
        Recorder.Dispose();
        Logs.Dispose();
    }
}
