using Autofac;
using Autofac.Core;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

public interface IRepository<T>
{
    [CacheWithTags("Entity_{idd}")]
    T Get(int id);
}

public sealed class Repository<T> : IRepository<T>
{
    public T Get(int id) => default!;
}

public interface IPlainRepository<T>
{
    T Get(int id);
}

public sealed class BrokenOnClassRepository<T> : IPlainRepository<T>
{
    [CacheWithTags("Entity_{nope}")]
    public T Get(int id) => default!;
}

/// <summary>
/// Fail fast for every kind of registration (rule 8 in docs/architecture.md): what the container build can know (the interface's attributes
/// always; the implementation's where its type is known) fails the build; the rest fails at the first resolve, never at a call.
/// </summary>
[TestClass]
public sealed class RegistrationKindValidationTests
{
    [TestMethod]
    public void Build_DelegateRegistrationWithBrokenInterface_Fails()
    {
        var builder = Builder();
        builder.Register<IBrokenService>(_ => new BrokenService()).EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        Assert.Contains("IBrokenService.UnknownParameter", thrown.Message);
    }

    [TestMethod]
    public void Build_OpenGenericRegistrationWithBrokenInterface_Fails()
    {
        var builder = Builder();
        builder.RegisterGeneric(typeof(Repository<>)).As(typeof(IRepository<>)).EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        Assert.Contains("IRepository", thrown.Message);
        Assert.Contains("Entity_{idd}", thrown.Message);
    }

    [TestMethod]
    public void Build_OpenGenericRegistrationWithBrokenImplementation_Fails()
    {
        var builder = Builder();
        builder.RegisterGeneric(typeof(BrokenOnClassRepository<>)).As(typeof(IPlainRepository<>)).EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        Assert.Contains("Entity_{nope}", thrown.Message);
    }

    [TestMethod]
    public void Resolve_DelegateRegistrationWithBrokenImplementation_FailsAtFirstResolveNotAtACall()
    {
        var builder = Builder();
        builder.Register<IBrokenOnClass>(_ => new BrokenOnClass()).EnableTagCaching();
        using var container = builder.Build();

        var thrown = Assert.Throws<Exception>(() => container.Resolve<IBrokenOnClass>());

        var root = thrown is DependencyResolutionException { InnerException: { } inner } ? inner : thrown;
        Assert.IsInstanceOfType<TagCacheConfigurationException>(root);
        Assert.Contains("Product_{nope}", root.Message);
    }

    private static ContainerBuilder Builder()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        return builder;
    }
}
