using TagCache.Core.Tests.Support;
using TagCache.Stores;
using TagCache.Tags;

namespace TagCache.Core.Tests.Tags;

[TestClass]
public sealed class InMemoryTagVersionStoreTests
{
    [TestMethod]
    public void Acquire_SameName_ReturnsSameStateWhileHeld()
    {
        var sut = new InMemoryTagVersionStore();

        var first = sut.Acquire("Product_1");
        var second = sut.Acquire("Product_1");

        Assert.AreSame(first, second);
    }

    [TestMethod]
    public void Invalidate_BumpsVersionAndSequence()
    {
        var sut = new InMemoryTagVersionStore();
        var state = sut.Acquire("T");
        var stamp = TagStamp.Take(state);

        sut.Invalidate(["T"]);

        Assert.IsFalse(stamp.IsCurrent);
        Assert.AreEqual(sut.CurrentSequence, state.LastBumpSequence);
    }

    [TestMethod]
    public void Invalidate_UnknownTag_StillAdvancesSequence()
    {
        var sut = new InMemoryTagVersionStore();
        var before = sut.CurrentSequence;

        sut.Invalidate(["Nobody"]);

        Assert.AreEqual(before + 1, sut.CurrentSequence);
    }

    [TestMethod]
    public void Acquire_NewState_CountsAsBumpedNow()
    {
        var sut = new InMemoryTagVersionStore();
        sut.Invalidate(["X", "Y"]);

        var state = sut.Acquire("Fresh");

        Assert.AreEqual(sut.CurrentSequence, state.LastBumpSequence);
    }

    [TestMethod]
    [TestCategory("Stress")]
    public void Acquire_OneMillionDistinctTagsChurned_RetainsOnlyHeldStates()
    {
        // Invariant 6: only tags something still holds survive a full GC; the map is purged as names churn.
        var sut = new InMemoryTagVersionStore();
        var held = Enumerable.Range(0, 100).Select(i => sut.Acquire($"Held_{i}")).ToArray();

        Churn(sut, "Product_", 1_000_000);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.AreEqual(held.Length, sut.CountLiveStates());
        Assert.IsLessThan(200_000, sut.MappedCount, "dead names must be purged as new ones arrive");
        GC.KeepAlive(held);
    }

    [TestMethod]
    public void Acquire_AfterReclaim_OldStampOnStaleEntryNeverBecomesCurrent()
    {
        using var cache = StoreFactory.Create();
        cache.Set("k", 1, StoreFactory.Tags("T"));
        cache.InvalidateTags("T");

        Churn(cache.Versions, "churn_", 200_000);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.IsFalse(cache.TryGet<int>("k", out _));
    }

    [TestMethod]
    [TestCategory("Stress")]
    public void Store_OneMillionDistinctTagsThroughEntriesThatLeave_RetainsNoTagState()
    {
        using var cache = StoreFactory.Create();
        var versions = (InMemoryTagVersionStore)cache.Versions;

        ComputeAndRemove(cache, 1_000_000);
        cache.Set("live", 1, StoreFactory.Tags("StillHeld"));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.AreEqual(1, versions.CountLiveStates());
    }

    // Not inlined, so no state of the last computation stays reachable from the test's frame (a stack slot the JIT did not
    // clear) when it collects: what is measured is what the store retains.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ComputeAndRemove(TagCacheStore cache, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var key = $"product:{i}";
            cache.GetOrSet(key, () => i, StoreFactory.Tags($"Product_{i}"));
            cache.Remove(key);
        }
    }

    // Not inlined, so no state from the loop stays reachable from this frame when the test collects.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    /// <summary>
    /// Acquires and drops <paramref name="count"/> new names, collecting every 50,000 as a running app's allocations would:
    /// how often the GC runs on its own depends on its budget (and on what else the test process runs), and the purge can
    /// only drop names whose states were collected.
    /// </summary>
    private static void Churn(ITagVersionStore store, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            store.Acquire(prefix + i);
            if (i % 50_000 == 49_999)
            {
                GC.Collect(0);
            }
        }
    }
}
