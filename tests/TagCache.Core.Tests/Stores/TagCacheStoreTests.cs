using Microsoft.Extensions.Time.Testing;
using TagCache.Core.Tests.Support;
using TagCache.Testing;

namespace TagCache.Core.Tests.Stores;

[TestClass]
public sealed class TagCacheStoreTests
{
    [TestMethod]
    public void TryGet_ReturnsMiss_WhenNothingStored()
    {
        using var sut = StoreFactory.Create();

        Assert.IsFalse(sut.TryGet<string>("missing", out var value));
        Assert.IsNull(value);
    }

    [TestMethod]
    public void TryGet_ReturnsValue_AfterSet()
    {
        using var sut = StoreFactory.Create();

        sut.Set("Product_1", "Lamp", StoreFactory.Tags("Product_1", "Catalog"));

        Assert.IsTrue(sut.TryGet<string>("Product_1", out var value));
        Assert.AreEqual("Lamp", value);
    }

    [TestMethod]
    public void TryGet_ReturnsMiss_WhenTagVersionBumped()
    {
        using var sut = StoreFactory.Create();
        sut.Set("page", 42, StoreFactory.Tags("FirstModel", "CategoryModel_15"));

        sut.InvalidateTags("CategoryModel_15");

        Assert.IsFalse(sut.TryGet<int>("page", out _));
    }

    [TestMethod]
    public void TryGet_ReturnsHit_WhenAnotherTagIsInvalidated()
    {
        using var sut = StoreFactory.Create();
        sut.Set("page", 42, StoreFactory.Tags("FirstModel"));

        sut.InvalidateTags("SecondModel");

        Assert.IsTrue(sut.TryGet<int>("page", out var value));
        Assert.AreEqual(42, value);
    }

    [TestMethod]
    public async Task InvalidateTagsAsync_MakesEntriesStale()
    {
        using var sut = StoreFactory.Create();
        sut.Set("a", 1, StoreFactory.Tags("Tag1"));
        sut.Set("b", 2, StoreFactory.Tags("Tag2"));
        sut.Set("c", 3, StoreFactory.Tags("Tag3"));

        await sut.InvalidateTagsAsync(new List<string> { "Tag1", "Tag2" });

        Assert.IsFalse(sut.TryGet<int>("a", out _));
        Assert.IsFalse(sut.TryGet<int>("b", out _));
        Assert.IsTrue(sut.TryGet<int>("c", out _));
    }

    [TestMethod]
    public void TryGet_RemovesStaleEntry_FromMemory()
    {
        using var sut = StoreFactory.Create();
        sut.Set("page", 42, StoreFactory.Tags("T"));
        sut.InvalidateTags("T");
        Assert.AreEqual(1, sut.Memory.Count, "invalidation itself must not touch entries");

        Assert.IsFalse(sut.TryGet<int>("page", out _));

        Assert.AreEqual(0, sut.Memory.Count);
    }

    [TestMethod]
    public void TryGet_ReturnsMiss_AfterTimeoutElapses()
    {
        var time = new FakeTimeProvider();
        using var sut = StoreFactory.Create(time);
        sut.Set("k", "v", new TagCacheEntryOptions { Timeout = TimeSpan.FromSeconds(10) });

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.IsTrue(sut.TryGet<string>("k", out _));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsFalse(sut.TryGet<string>("k", out _));
    }

    [TestMethod]
    public void Set_WithoutTimeout_UsesCacheDefault()
    {
        var time = new FakeTimeProvider();
        using var sut = StoreFactory.Create(time, defaultTimeout: TimeSpan.FromMinutes(5));
        sut.Set("k", "v");

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.IsTrue(sut.TryGet<string>("k", out _));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsFalse(sut.TryGet<string>("k", out _));
    }

    [TestMethod]
    public void Remove_DeletesEntry()
    {
        using var sut = StoreFactory.Create();
        sut.Set("k", "v");

        sut.Remove("k");

        Assert.IsFalse(sut.TryGet<string>("k", out _));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    public void Set_RejectsMissingKey(string? key)
    {
        using var sut = StoreFactory.Create();

        Assert.Throws<ArgumentException>(() => sut.Set(key!, 1));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    public void Set_RejectsMissingTag(string? tag)
    {
        using var sut = StoreFactory.Create();

        var error = Assert.Throws<ArgumentException>(() => sut.Set("k", 1, StoreFactory.Tags(tag!)));

        StringAssert.Contains(error.Message, "tag must not be null or empty");
    }

    [TestMethod]
    public void InvalidateTags_RejectsNullArray() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => StoreFactory.Create().InvalidateTags(null!));

    [TestMethod]
    public void InvalidateTags_CostDoesNotDependOnEntryCount()
    {
        // Invariant 2, measured without a clock: invalidating a tag carried by 100,000 entries allocates and touches
        // exactly what invalidating a tag carried by one entry does.
        using var one = StoreFactory.Create();
        using var many = StoreFactory.Create();
        one.Set("k0", 0, StoreFactory.Tags("Hot"));
        for (var i = 0; i < 100_000; i++)
        {
            many.Set($"k{i}", i, StoreFactory.Tags("Hot"));
        }

        one.InvalidateTags("Warmup");
        many.InvalidateTags("Warmup");
        var tags = new[] { "Hot" };

        var before = GC.GetAllocatedBytesForCurrentThread();
        one.InvalidateTags(tags);
        var forOne = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        many.InvalidateTags(tags);
        var forMany = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(forOne, forMany);
        Assert.AreEqual(100_000, many.Memory.Count, "no entry is visited by the invalidation");
        Assert.IsFalse(many.TryGet<int>("k99999", out _));
        Assert.IsFalse(many.TryGet<int>("k0", out _));
    }

    [TestMethod]
    public void Sweep_FreesEntriesMadeStale()
    {
        using var sut = StoreFactory.Create();
        for (var i = 0; i < 1_000; i++)
        {
            sut.Set($"k{i}", i, StoreFactory.Tags(i % 2 == 0 ? "Even" : "Odd"));
        }

        sut.InvalidateTags("Even");
        var removed = sut.ReclaimNow();

        Assert.AreEqual(500, removed);
        Assert.AreEqual(500, sut.Memory.Count);
        Assert.IsTrue(sut.TryGet<int>("k1", out _));
    }

    [TestMethod]
    public void Set_RespectsSizeLimit()
    {
        using var sut = StoreFactory.Create(sizeLimit: 10);
        for (var i = 0; i < 50; i++)
        {
            sut.Set($"k{i}", i);
        }

        Assert.IsLessThanOrEqualTo(10, sut.Memory.Count);
    }

    [TestMethod]
    public void Set_DeferredSequence_ThrowsAndStoresNothing()
    {
        using var sut = StoreFactory.Create();
        var rows = new List<int> { 1, 2, 3 };

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => sut.Set("k", rows.Where(r => r > 1)));

        StringAssert.Contains(thrown.Message, "cache 'default'");
        StringAssert.Contains(thrown.Message, "ToList()");
        Assert.IsFalse(sut.TryGet<IEnumerable<int>>("k", out _));
    }

    [TestMethod]
    public async Task GetOrSet_FactoryReturnsDeferredSequence_ThrowsAndStoresNothing()
    {
        using var sut = StoreFactory.Create();
        var rows = new List<int> { 1, 2, 3 };

        Assert.ThrowsExactly<InvalidOperationException>(() => sut.GetOrSet("k", () => rows.Select(r => r * 2)));
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.GetOrSetAsync("k", _ => ValueTask.FromResult(Iterate(rows))).AsTask());

        Assert.IsFalse(sut.TryGet<IEnumerable<int>>("k", out _));
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public void GetOrSet_MaterialisedSequences_AreStored()
    {
        using var sut = StoreFactory.Create();
        IEnumerable<int>[] values = [new List<int> { 1 }, new[] { 1 }, new HashSet<int> { 1 }, System.Collections.Immutable.ImmutableArray.Create(1), new Dictionary<int, int> { [1] = 1 }.Keys];

        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            Assert.AreSame(value, sut.GetOrSet($"k{i}", () => value), value.GetType().Name);
            Assert.IsTrue(sut.TryGet<IEnumerable<int>>($"k{i}", out _), value.GetType().Name);
        }
    }

    private static IEnumerable<int> Iterate(IEnumerable<int> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }
    }
}
