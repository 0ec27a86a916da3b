using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests.Telemetry;

public interface IInvoices
{
    [CacheWithTags("Invoice_{id}")]
    string Get(int id);

#pragma warning disable TC1008 // the misspelt tag is what the test observes at run time
    [InvalidateTags("Invoices_{id}")]
    void Void(int id);
#pragma warning restore TC1008
}

public sealed class Invoices : IInvoices
{
    public string Get(int id) => "invoice " + id;

    public void Void(int id)
    {
    }
}

/// <summary>Microsoft DI hands TagCache the host's <see cref="IMeterFactory"/> and loggers, and checks invalidations when the caches are made.</summary>
[TestClass]
public sealed class ObservabilityRegistrationTests
{
    [TestMethod]
    public void AddTagCache_WithAddMetrics_ReportsThroughTheHostsMeterFactory()
    {
        var services = new ServiceCollection().AddMetrics();
        services.AddTagCache(o => o.StrictInvalidation = false).AddSingleton<IInvoices, Invoices>().AddTagCaching<IInvoices>();
        using var provider = services.BuildServiceProvider();
        using var recorder = new TagCacheMetrics(provider.GetRequiredService<IMeterFactory>());

        provider.GetRequiredService<IInvoices>().Get(1);
        provider.GetRequiredService<IInvoices>().Get(1);

        Assert.AreEqual(1, recorder.Sum("tagcache.requests", ("tagcache.method", "IInvoices.Get"), ("tagcache.result", "hit")));
        Assert.AreEqual(1, recorder.Sum("tagcache.requests", ("tagcache.method", "IInvoices.Get"), ("tagcache.result", "miss")));
    }

    [TestMethod]
    public void FirstResolve_InvalidationThatMatchesNothing_LogsWarning()
    {
        var logs = new LogCapture();
        using var provider = Services(logs, strict: false).BuildServiceProvider();

        provider.GetRequiredService<IInvoices>();

        var warning = logs.Records.Single(e => e.Id.Id == 201);
        Assert.AreEqual(LogLevel.Warning, warning.Level);
        Assert.AreEqual(
            "TagCache: `[InvalidateTags(\"Invoices_{id}\")]` on IInvoices.Void matches no cached tag in cache 'default'; did you mean `Invoice_{...}` (IInvoices.Get)?",
            warning.Message);
    }

    [TestMethod]
    public void FirstResolve_InvalidationThatMatchesNothingByDefault_Throws()
    {
        using var provider = new ServiceCollection().AddTagCache().AddSingleton<IInvoices, Invoices>().AddTagCaching<IInvoices>().BuildServiceProvider();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => provider.GetRequiredService<IInvoices>());

        StringAssert.Contains(thrown.Problems.Single(), "IInvoices.Void matches no cached tag in cache 'default'");
    }

    private static IServiceCollection Services(LogCapture logs, bool strict) =>
        new ServiceCollection()
            .AddSingleton(logs.Factory)
            .AddTagCache(o => o.StrictInvalidation = strict)
            .AddSingleton<IInvoices, Invoices>()
            .AddTagCaching<IInvoices>();
}
