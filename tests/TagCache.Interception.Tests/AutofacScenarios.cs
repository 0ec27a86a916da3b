using Autofac;
using TagCache.Scenarios;
using TagCache.Testing;

namespace TagCache.Interception.Tests;

/// <summary>The scenarios through Castle proxies made by Autofac, over TagCache's own caches.</summary>
[TestClass]
public sealed class BuiltInCacheScenarios : InterceptionScenarios
{
    protected override ICatalogSut CreateContainer() =>
        new CatalogContainer(builder => builder.RegisterType<CategoryPages>().As<ICategoryPages>().SingleInstance().EnableTagCaching());
}

/// <summary>The scenarios through Castle proxies made by Autofac, over a third-party cache.</summary>
[TestClass]
public sealed class ThirdPartyCacheScenarios : InterceptionScenarios
{
    protected override ICatalogSut CreateContainer() =>
        new CatalogContainer(builder =>
        {
            builder.RegisterType<CategoryPages>().As<ICategoryPages>().SingleInstance().EnableTagCaching();
            builder.Register(c => new DecoratingTagCacheProvider(c.Resolve<TagCacheProvider>())).As<ITagCacheProvider>().SingleInstance();
        });
}
