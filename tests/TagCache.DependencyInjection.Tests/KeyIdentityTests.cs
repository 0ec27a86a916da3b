using Microsoft.Extensions.DependencyInjection;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

/// <summary>What the default key identifies under Microsoft DI: each registration, keyed or not, has its own entries.</summary>
[TestClass]
public sealed class KeyIdentityTests
{
    [TestMethod]
    public void GetPrice_MicrosoftDiKeyedAndMultipleImplementations_DoNotShareEntries()
    {
        var services = new ServiceCollection();
        services.AddTagCache();
        services.AddSingleton<IPriceSource, EuroPrices>();
        services.AddSingleton<IPriceSource>(_ => new RatedPrices(2.0m));
        services.AddKeyedSingleton<IPriceSource>("a", (_, _) => new RatedPrices(3.0m));
        services.AddKeyedSingleton<IPriceSource>("b", (_, _) => new RatedPrices(4.0m));
        services.AddTagCaching<IPriceSource>();
        using var provider = services.BuildServiceProvider();

        CollectionAssert.AreEqual(new[] { 1.0m, 2.0m }, provider.GetServices<IPriceSource>().Select(s => s.GetPrice(1)).ToArray());
        Assert.AreEqual(3.0m, provider.GetRequiredKeyedService<IPriceSource>("a").GetPrice(1));
        Assert.AreEqual(4.0m, provider.GetRequiredKeyedService<IPriceSource>("b").GetPrice(1));
        Assert.IsTrue(Wrapping.IsWrapped(provider.GetRequiredKeyedService<IPriceSource>("a")), "keyed registrations are proxied too");
    }
}
