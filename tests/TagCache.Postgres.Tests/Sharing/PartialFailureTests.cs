using Autofac;
using TagCache.Postgres.Tests.Support;
using TagCache.Testing;

namespace TagCache.Postgres.Tests.Sharing;

/// <summary>
/// One call that invalidates in several caches, when the log cannot be written: every cache is invalidated locally before
/// any failure is thrown, whichever entry point (several [InvalidateTags] attributes, a swept event).
/// </summary>
[TestClass]
[TestCategory("Server")]
public sealed class PartialFailureTests
{
    public interface IStock
    {
        [CacheWithTags("Stock_{id}")]
        int Count(int id);

        [CacheWithTags("Stock_{id}", Cache = "listings")]
        int Listed(int id);

        [InvalidateTags("Stock_{id}")]
        [InvalidateTags("Stock_{id}", Cache = "listings")]
        void Restock(int id);
    }

    public sealed record StockChanged(int Id);

    [TestMethod]
    public void InvalidateTagsOnTwoCaches_PostgresStopped_BothInvalidatedLocallyThenBothFailuresThrown()
    {
        using var server = PostgresServer.Start();
        using var cluster = new Cluster(server);
        var builder = new ContainerBuilder();
        builder.AddTagCache(o => o.AddCache("listings").UsePostgres(server.ConnectionString, pg => cluster.Apply(pg)));
        builder.RegisterInstance(new Stock()).As<IStock>().EnableTagCaching();
        using var container = builder.Build();
        var provider = container.Resolve<TagCacheProvider>();
        var stock = container.Resolve<IStock>();
        var (inDefault, inListings) = States(provider);
        var (before, beforeListings) = (inDefault.Version, inListings.Version);
        server.Stop();

        var thrown = Assert.ThrowsExactly<AggregateException>(() => stock.Restock(1));

        Assert.HasCount(2, thrown.InnerExceptions);
        CollectionAssert.AreEquivalent(
            new[] { "default", "listings" },
            thrown.InnerExceptions.Cast<TagInvalidationNotSharedException>().Select(e => e.Cache).ToArray());
        Assert.AreEqual(before + 1, inDefault.Version, "the default cache was invalidated locally");
        Assert.AreEqual(beforeListings + 1, inListings.Version, "and so was the second, after the first failed");
    }

    [TestMethod]
    public void SweepOverTwoCaches_PostgresStopped_BothInvalidatedLocallyThenThrown()
    {
        using var server = PostgresServer.Start();
        using var cluster = new Cluster(server);
        var provider = cluster.AddNode(options: o => o
            .AddCache("listings")
            .InvalidateOn<StockChanged>(e => [$"Stock_{e.Id}"])
            .InvalidateOn<StockChanged>(e => [$"Stock_{e.Id}"], cache: "listings"));
        var (inDefault, inListings) = States(provider);
        var (before, beforeListings) = (inDefault.Version, inListings.Version);
        server.Stop();

        var thrown = Assert.ThrowsExactly<AggregateException>(() => provider.Sweeper.Sweep(new StockChanged(1)));

        Assert.HasCount(2, thrown.InnerExceptions);
        Assert.AreEqual(before + 1, inDefault.Version);
        Assert.AreEqual(beforeListings + 1, inListings.Version);
    }

    /// <summary>The tag's states in both caches, held so they stay the ones the invalidations bump.</summary>
    private static (Tags.TagState Default, Tags.TagState Listings) States(TagCacheProvider provider) =>
        (Cluster.Store(provider).Versions.Acquire("Stock_1"), Cluster.Store(provider, "listings").Versions.Acquire("Stock_1"));

    private sealed class Stock : IStock
    {
        public int Count(int id) => id;

        public int Listed(int id) => id;

        public void Restock(int id)
        {
        }
    }
}
