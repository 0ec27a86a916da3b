using Microsoft.Extensions.DependencyInjection;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

/// <summary>
/// Fail fast for factory registrations: the interface's attributes are checked by AddTagCaching, the factory's product at
/// its first resolve, never at a call.
/// </summary>
[TestClass]
public sealed class FactoryRegistrationValidationTests
{
    [TestMethod]
    public void AddTagCaching_FactoryRegistrationWithBrokenInterface_Fails()
    {
        var services = new ServiceCollection();
        services.AddTagCache();
        services.AddSingleton<IBrokenService>(_ => new BrokenService());

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IBrokenService>());

        Assert.Contains("IBrokenService.UnknownParameter", thrown.Message);
    }

    [TestMethod]
    public void GetService_FactoryRegistrationWithBrokenImplementation_FailsAtFirstResolveNotAtACall()
    {
        var services = new ServiceCollection();
        services.AddTagCache();
        services.AddSingleton<IBrokenOnClass>(_ => new BrokenOnClass());
        services.AddTagCaching<IBrokenOnClass>();
        using var provider = services.BuildServiceProvider();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => provider.GetRequiredService<IBrokenOnClass>());

        Assert.Contains("Product_{nope}", thrown.Message);
    }
}
