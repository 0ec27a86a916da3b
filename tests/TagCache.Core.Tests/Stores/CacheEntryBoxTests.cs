using TagCache.Core.Tests.Support;

namespace TagCache.Core.Tests.Stores;

/// <summary>
/// Entries with one tag keep their stamp inline, entries with several keep an array: both kinds must go stale on any of
/// their tags, survive other tags' invalidations, and pass their dependencies to a computation that hits them.
/// </summary>
[TestClass]
public sealed class CacheEntryBoxTests
{
    public static IEnumerable<object[]> TagSets =>
    [
        [new[] { "A" }],
        [new[] { "A", "B" }],
        [new[] { "A", "B", "C" }],
    ];

    [TestMethod]
    [DynamicData(nameof(TagSets))]
    public void TryGet_AnyOfTheEntrysTagsInvalidated_Misses(string[] tags)
    {
        foreach (var invalidated in tags)
        {
            using var sut = StoreFactory.Create();
            sut.Set("k", "v", StoreFactory.Tags(tags));

            sut.InvalidateTags(invalidated);

            Assert.IsFalse(sut.TryGet<string>("k", out _), $"{string.Join(",", tags)} after invalidating {invalidated}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(TagSets))]
    public void TryGet_AnotherTagInvalidated_Hits(string[] tags)
    {
        using var sut = StoreFactory.Create();
        sut.Set("k", "v", StoreFactory.Tags(tags));

        sut.InvalidateTags("Other");

        Assert.IsTrue(sut.TryGet<string>("k", out var value));
        Assert.AreEqual("v", value);
    }

    [TestMethod]
    [DynamicData(nameof(TagSets))]
    public void GetOrSet_OuterHitsInnerEntry_OuterGoesStaleWithEachInnerTag(string[] tags)
    {
        foreach (var invalidated in tags)
        {
            using var sut = StoreFactory.Create();
            sut.Set("inner", "v", StoreFactory.Tags(tags));
            sut.GetOrSet("outer", () => sut.GetOrSet("inner", () => "recomputed") + "!", StoreFactory.Tags("Outer"));

            sut.InvalidateTags(invalidated);

            Assert.IsFalse(sut.TryGet<string>("outer", out _), $"{string.Join(",", tags)} after invalidating {invalidated}");
        }
    }
}
