using System.Collections;
using System.Collections.Immutable;
using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

/// <summary>A class that enumerates ids but also carries a flag the key must not lose.</summary>
public sealed class ProductFilter(bool includeDeleted, params int[] ids) : IEnumerable<int>
{
    public bool IncludeDeleted { get; } = includeDeleted;

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)ids).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public sealed class IdList : List<int>
{
    public bool IncludeDeleted { get; set; }
}

public interface IFilteredSearch
{
    [CacheWithTags("Search")]
    string Search(ProductFilter filter);
}

public interface IDerivedListSearch
{
    [CacheWithTags("Search")]
    string Search(IdList ids);
}

public interface ICollectionSearch
{
    [CacheWithTags("Search")]
    string ByArray(int[] ids);

    [CacheWithTags("Search")]
    string ByList(List<int> ids);

    [CacheWithTags("Search")]
    string BySequence(IEnumerable<int> ids);

    [CacheWithTags("Search")]
    string ByReadOnlyList(IReadOnlyList<int> ids);

    [CacheWithTags("Search")]
    string ByImmutable(ImmutableArray<int> ids);

    [CacheWithTags("Search")]
    string BySet(HashSet<int> ids);
}

public sealed class CollectionSearch : ICollectionSearch, IFilteredSearch, IDerivedListSearch
{
    public int Calls { get; private set; }

    public string ByArray(int[] ids) => Describe(ids);

    public string ByList(List<int> ids) => Describe(ids);

    public string BySequence(IEnumerable<int> ids) => Describe(ids);

    public string ByReadOnlyList(IReadOnlyList<int> ids) => Describe(ids);

    public string ByImmutable(ImmutableArray<int> ids) => ids.IsDefault ? "default" : Describe(ids);

    public string BySet(HashSet<int> ids) => Describe(ids);

    public string Search(ProductFilter filter) => Describe(filter) + (filter.IncludeDeleted ? "+deleted" : string.Empty);

    public string Search(IdList ids) => Describe(ids);

    private string Describe(IEnumerable<int> ids)
    {
        Calls++;
        return "[" + string.Join(",", ids) + "]";
    }
}

/// <summary>What the default key identifies (rule 5 in docs/architecture.md): the implementation, the method and every argument.</summary>
[TestClass]
public sealed class KeyIdentityTests
{
    [TestMethod]
    public void GetPrice_TwoImplementationsOfOneInterface_DoNotShareEntries()
    {
        var builder = Builder();
        builder.RegisterType<EuroPrices>().As<IPriceSource>().SingleInstance().EnableTagCaching();
        builder.RegisterType<DollarPrices>().As<IPriceSource>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();

        var sources = container.Resolve<IEnumerable<IPriceSource>>().ToArray();

        CollectionAssert.AreEqual(new[] { 1.0m, 2.0m }, sources.Select(s => s.GetPrice(1)).ToArray());
    }

    [TestMethod]
    public void GetPrice_KeyedRegistrationsOfTwoTypes_DoNotShareEntries()
    {
        var builder = Builder();
        builder.RegisterType<EuroPrices>().Keyed<IPriceSource>("eur").SingleInstance().EnableTagCaching();
        builder.RegisterType<DollarPrices>().Keyed<IPriceSource>("usd").SingleInstance().EnableTagCaching();
        using var container = builder.Build();

        Assert.AreEqual(1.0m, container.ResolveKeyed<IPriceSource>("eur").GetPrice(1));
        Assert.AreEqual(2.0m, container.ResolveKeyed<IPriceSource>("usd").GetPrice(1));
    }

    [TestMethod]
    public void GetPrice_OneTypeUnderTwoKeys_DoesNotShareEntries()
    {
        var builder = Builder();
        builder.Register(_ => new RatedPrices(1.0m)).Keyed<IPriceSource>("eur").SingleInstance().EnableTagCaching();
        builder.Register(_ => new RatedPrices(2.0m)).Keyed<IPriceSource>("usd").SingleInstance().EnableTagCaching();
        using var container = builder.Build();

        Assert.AreEqual(1.0m, container.ResolveKeyed<IPriceSource>("eur").GetPrice(1));
        Assert.AreEqual(2.0m, container.ResolveKeyed<IPriceSource>("usd").GetPrice(1));
    }

    [TestMethod]
    public void GetPrice_OneTypeInTwoUnkeyedRegistrations_DoesNotShareEntries()
    {
        var builder = Builder();
        builder.Register(_ => new RatedPrices(1.0m)).As<IPriceSource>().SingleInstance().EnableTagCaching();
        builder.Register(_ => new RatedPrices(2.0m)).As<IPriceSource>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();

        var sources = container.Resolve<IEnumerable<IPriceSource>>().ToArray();

        CollectionAssert.AreEqual(new[] { 1.0m, 2.0m }, sources.Select(s => s.GetPrice(1)).ToArray());
    }

    [TestMethod]
    public void GetPrice_TwoServicesSharingMethodOfBaseInterface_DoNotShareEntries()
    {
        var builder = Builder();
        builder.RegisterType<EuroPrices>().As<IEuroPrices>().SingleInstance().EnableTagCaching();
        builder.RegisterType<DollarPrices>().As<IDollarPrices>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();

        Assert.AreEqual(1.0m, container.Resolve<IEuroPrices>().GetPrice(1));
        Assert.AreEqual(2.0m, container.Resolve<IDollarPrices>().GetPrice(1));
    }

    [TestMethod]
    public void GetPrice_SameRegistrationResolvedTwice_SharesEntries()
    {
        var priceCalls = new int[1];
        var builder = Builder();
        builder.Register(_ => new CountingPrices(priceCalls)).As<IPriceSource>().InstancePerDependency().EnableTagCaching();
        using var container = builder.Build();

        var first = container.Resolve<IPriceSource>();
        var second = container.Resolve<IPriceSource>();

        Assert.AreNotSame(first, second);
        Assert.AreEqual(5.0m, first.GetPrice(1));
        Assert.AreEqual(5.0m, second.GetPrice(1));
        Assert.AreEqual(1, priceCalls[0], "instances of one registration answer alike, so they share the entry");
    }

    [TestMethod]
    public void Build_ParameterClassImplementingIEnumerable_FailsAskingForKey()
    {
        var builder = Builder();
        builder.RegisterType<CollectionSearch>().As<IFilteredSearch>().EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        StringAssert.Contains(thrown.Message, "IFilteredSearch.Search");
        StringAssert.Contains(thrown.Message, "'filter'");
        StringAssert.Contains(thrown.Message, "Key =");
    }

    [TestMethod]
    public void Build_ParameterClassDerivedFromList_FailsAskingForKey()
    {
        var builder = Builder();
        builder.RegisterType<CollectionSearch>().As<IDerivedListSearch>().EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        StringAssert.Contains(thrown.Message, "IDerivedListSearch.Search");
        StringAssert.Contains(thrown.Message, "'ids'");
    }

    [TestMethod]
    public void Search_CollectionsWhoseValueIsTheirElements_AreKeyedByElements()
    {
        var builder = Builder();
        builder.RegisterType<CollectionSearch>().AsSelf().SingleInstance();
        builder.Register(c => c.Resolve<CollectionSearch>()).As<ICollectionSearch>().EnableTagCaching();
        using var container = builder.Build();
        var search = container.Resolve<ICollectionSearch>();
        var target = container.Resolve<CollectionSearch>();

        Assert.AreEqual("[1,2]", search.ByArray([1, 2]));
        Assert.AreEqual("[1,2]", search.ByArray([1, 2]));
        Assert.AreEqual("[1,2]", search.ByList([1, 2]));
        Assert.AreEqual("[1,2]", search.BySequence([1, 2]));
        Assert.AreEqual("[1,2]", search.ByReadOnlyList([1, 2]));
        Assert.AreEqual("[1,2]", search.BySet([1, 2]));
        Assert.AreEqual("[1,2]", search.ByImmutable([1, 2]));
        Assert.AreEqual(6, target.Calls, "each method once: the second array call hit");
    }

    [TestMethod]
    public void ByImmutable_DefaultArgument_IsKeyedAsNullAndDistinctFromEmpty()
    {
        var builder = Builder();
        builder.RegisterType<CollectionSearch>().As<ICollectionSearch>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();
        var search = container.Resolve<ICollectionSearch>();

        Assert.AreEqual("default", search.ByImmutable(default));
        Assert.AreEqual("[]", search.ByImmutable(ImmutableArray<int>.Empty));
        Assert.AreEqual("default", search.ByImmutable(default));
    }

    private static ContainerBuilder Builder()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        return builder;
    }
}
