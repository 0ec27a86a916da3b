using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace TagCache.Reliability.Tests.Telemetry;

/// <summary>
/// Every instrument and tag value, driven through intercepted calls and read back twice: with a <c>MeterListener</c>, and
/// with the OpenTelemetry SDK's <see cref="MeterProvider"/> through its in-memory exporter.
/// </summary>
[TestClass]
public sealed class MeterReadbackTests
{
    private const string Get = "IQuotes.Get";

    /// <summary>Every series the run must produce, as instrument, tags and value (a histogram's count).</summary>
    private static readonly (string Instrument, string Tags, double Value)[] Expected =
    [
        ("tagcache.requests", "method=IQuotes.Get result=hit", 1),
        ("tagcache.requests", "method=IQuotes.Get miss_reason=absent result=miss", 1),
        ("tagcache.requests", "method=IQuotes.Get miss_reason=stale result=miss", 1),
        ("tagcache.requests", "method=IQuotes.Get miss_reason=bypassed result=miss", 1),
        ("tagcache.requests", "method=IQuotes.GetWhileChanged miss_reason=absent result=miss", 1),
        ("tagcache.requests", "method=IQuotes.Fail miss_reason=absent result=miss", 1),
        ("tagcache.requests", "method=IQuotes.CancelAsync miss_reason=absent result=miss", 1),
        ("tagcache.requests", "method=IQuotes.GetSlowAsync miss_reason=absent result=miss", 2),
        ("tagcache.computations", "method=IQuotes.Get outcome=stored", 2),
        ("tagcache.computations", "method=IQuotes.GetSlowAsync outcome=stored", 1),
        ("tagcache.computations", "method=IQuotes.GetWhileChanged outcome=discarded", 1),
        ("tagcache.computations", "method=IQuotes.Fail outcome=failed", 1),
        ("tagcache.computations", "method=IQuotes.CancelAsync outcome=cancelled", 1),
        ("tagcache.computation.duration", "method=IQuotes.Get", 2),
        ("tagcache.computation.duration", "method=IQuotes.GetSlowAsync", 1),
        ("tagcache.computation.duration", "method=IQuotes.GetWhileChanged", 1),
        ("tagcache.computation.duration", "method=IQuotes.Fail", 1),
        ("tagcache.computation.duration", "method=IQuotes.CancelAsync", 1),
        ("tagcache.joins", "method=IQuotes.GetSlowAsync", 1),
        ("tagcache.invalidations", "origin=method", 1),
        ("tagcache.invalidations", "origin=manual", 1),
        ("tagcache.invalidations", "origin=event", 1),
        ("tagcache.faults", "method=IQuotes.Get", 1),
        ("tagcache.entries", string.Empty, 2),
    ];

    [TestMethod]
    public async Task EveryInstrument_ReadWithAMeterListener_HasEveryDocumentedTagValue()
    {
        using var quotes = new ObservedQuotes();

        await quotes.RunEveryEventAsync();
        quotes.Recorder.Observe("tagcache.entries");

        CollectionAssert.AreEquivalent(Describe(Expected), Describe(FromListener(quotes.Recorder.Measurements)));
    }

    [TestMethod]
    public async Task EveryInstrument_ExportedByTheOpenTelemetrySdk_MatchesTheListener()
    {
        var exported = new List<MetricSnapshot>();
        using var meterProvider = Sdk.CreateMeterProviderBuilder()
            .AddMeter("TagCache")
            .AddInMemoryExporter(exported)
            .Build();
        using var quotes = new ObservedQuotes();

        await quotes.RunEveryEventAsync();
        meterProvider.ForceFlush();

        // The SDK hears every meter named TagCache in the process; this test's series are those of its "otel" cache.
        CollectionAssert.AreEquivalent(Describe(Expected), Describe(Points(exported).Where(p => p.Cache == "otel").Select(p => (p.Instrument, p.Tags, p.Value))));
    }

    [TestMethod]
    public async Task Fault_OfTheVersionStore_LogsWarningNamingTheMethodButNotTheKey()
    {
        using var quotes = new ObservedQuotes();

        await quotes.RunEveryEventAsync();

        var fault = quotes.Logs.Records.Single(e => e.Id.Id == 101);
        Assert.AreEqual(LogLevel.Warning, fault.Level);
        Assert.AreEqual("TagCache: the cache failed during a call of IQuotes.Get; the call ran without the cache", fault.Message);
        Assert.IsInstanceOfType<Support.CacheUnavailableException>(fault.Exception);
        Assert.IsTrue(quotes.Logs.Records.All(e => e.Category != null && e.Category.StartsWith("TagCache", StringComparison.Ordinal)), "one category prefix");
    }

    private static IEnumerable<(string Instrument, string Tags, double Value)> FromListener(IEnumerable<Testing.RecordedMeasurement> measurements) =>
        measurements
            .Where(m => Equals(m.Tags.GetValueOrDefault("tagcache.cache"), "otel"))
            .GroupBy(m => (m.Instrument, Tags: TagText(m.Tags)))
            .Select(g => (g.Key.Instrument, g.Key.Tags, g.Key.Instrument == "tagcache.computation.duration" ? g.Count() : g.Sum(m => m.Value)));

    private static string[] Describe(IEnumerable<(string Instrument, string Tags, double Value)> series) =>
        [.. series.Select(s => $"{s.Instrument} [{s.Tags}] {s.Value}")];

    /// <summary>The tags but the cache, without their prefix, in name order.</summary>
    private static string TagText(IEnumerable<KeyValuePair<string, object?>> tags) =>
        string.Join(' ', tags
            .Where(t => t.Key != "tagcache.cache")
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => $"{t.Key["tagcache.".Length..]}={t.Value}"));

    /// <summary>The points of the last export: instrument, cache, the other tags, and the sum (a histogram's count).</summary>
    private static IEnumerable<(string Instrument, string? Cache, string Tags, double Value)> Points(IEnumerable<MetricSnapshot> exported) =>
        exported
            .GroupBy(m => m.Name)
            .Select(g => g.Last())
            .SelectMany(metric => metric.MetricPoints.Select(point =>
            {
                var tags = new List<KeyValuePair<string, object?>>();
                foreach (var tag in point.Tags)
                {
                    tags.Add(tag);
                }

                var value = metric.MetricType switch
                {
                    MetricType.Histogram => point.GetHistogramCount(),
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => (double)point.GetSumLong(),
                    _ => point.GetSumDouble(),
                };
                return (metric.Name, tags.FirstOrDefault(t => t.Key == "tagcache.cache").Value as string, TagText(tags), value);
            }));
}
