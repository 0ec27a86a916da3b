using System.Net.Http.Json;

namespace TagCache.Examples.Web.Tests;

[TestClass]
public sealed class OpenTelemetryExportTests
{
    [TestMethod]
    public async Task OtlpEndpointConfigured_RequestsServed_MetricsAndTracesReachCollectorOnStop()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        await using var sut = await RunningCatalog.StartAsync($"--OpenTelemetry:OtlpEndpoint={collector.Endpoint}");

        await sut.Client.GetFromJsonAsync<Product>("/products/1");
        await sut.Client.GetFromJsonAsync<Product>("/products/1");
        await sut.StopAsync();

        Assert.IsTrue(collector.Received("/v1/metrics", "tagcache.requests"), "the request counter is exported");
        Assert.IsTrue(collector.Received("/v1/metrics", "ICatalogService.GetProductAsync"), "with the method as a tag");
        Assert.IsTrue(collector.Received("/v1/metrics", "tagcache.computation.duration"), "and the computation histogram");
        Assert.IsTrue(collector.Received("/v1/traces", "tagcache.compute"), "the computation's span is exported");
    }
}
