using TagCache.Scenarios;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

/// <summary>The scenarios through the generated decorators, over TagCache's own caches.</summary>
[TestClass]
public sealed class GeneratedDecoratorScenarios : InterceptionScenarios
{
    protected override ICatalogSut CreateContainer() => new CatalogServices(generated: true, thirdPartyCache: false);
}

/// <summary>The scenarios through the generated decorators, over a third-party cache.</summary>
[TestClass]
public sealed class GeneratedDecoratorThirdPartyCacheScenarios : InterceptionScenarios
{
    protected override ICatalogSut CreateContainer() => new CatalogServices(generated: true, thirdPartyCache: true);
}

/// <summary>The scenarios through Castle proxies made by Microsoft DI (decorators turned off), over TagCache's own caches.</summary>
[TestClass]
public sealed class MicrosoftDiCastleScenarios : InterceptionScenarios
{
    protected override ICatalogSut CreateContainer() => new CatalogServices(generated: false, thirdPartyCache: false);
}
