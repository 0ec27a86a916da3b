using TagCache.Stores;

namespace TagCache.Reliability.Tests.BadInput;

/// <summary>Bad keys, tags and options given to the manual API.</summary>
[TestClass]
public sealed class ManualApiInputTests
{
    private readonly TagCacheProvider _provider = (TagCacheProvider)TagCacheFactory.Create();

    private TagCacheStore Cache => _provider.GetStore(TagCacheOptions.DefaultCacheName);

    [TestCleanup]
    public void Cleanup() => _provider.Dispose();

    [TestMethod]
    public void TryGet_NullKey_ThrowsArgumentNullException() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => Cache.TryGet<int>(null!, out _));

    [TestMethod]
    public void Set_EmptyKey_ThrowsArgumentException()
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => Cache.Set(string.Empty, 1));
        Assert.Contains("empty string", thrown.Message);
        Assert.AreEqual("key", thrown.ParamName);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    public void Set_NullOrEmptyTag_ThrowsArgumentException(string? tag)
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => Cache.Set("k", 1, new TagCacheEntryOptions { Tags = ["Fine", tag!] }));
        Assert.Contains("A tag must not be null or empty.", thrown.Message);
        Assert.IsFalse(Cache.TryGet<int>("k", out _), "nothing is stored");
    }

    [TestMethod]
    public void InvalidateTags_NullArray_ThrowsArgumentNullException() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => Cache.InvalidateTags(null!));

    [TestMethod]
    [DataRow(null, DisplayName = "null tag")]
    [DataRow("", DisplayName = "empty tag")]
    public async Task InvalidateTags_InvalidTagAfterValidOne_ThrowsAndInvalidatesNothing(string? bad)
    {
        Cache.Set("k", 1, new TagCacheEntryOptions { Tags = ["A"] });

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => Cache.InvalidateTags("A", bad!));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Cache.InvalidateTagsAsync(["A", bad!]).AsTask());

        Assert.Contains("A tag must not be null or empty.", thrown.Message);
        Assert.IsTrue(Cache.TryGet<int>("k", out var value), "validated before anything is applied");
        Assert.AreEqual(1, value);
    }

    [TestMethod]
    public void GetOrSet_NullFactory_ThrowsArgumentNullException() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => Cache.GetOrSet<int>("k", null!));

    [TestMethod]
    [DataRow("a\u0000b", "a\u0000c")]
    [DataRow("line\nbreak", "line\rbreak")]
    [DataRow("tab\there", "tab here")]
    public void Set_KeyWithControlCharacters_IsAllowedAndDistinct(string key, string other)
    {
        Cache.Set(key, 1);

        Assert.IsTrue(Cache.TryGet<int>(key, out var value));
        Assert.AreEqual(1, value);
        Assert.IsFalse(Cache.TryGet<int>(other, out _));
    }

    [TestMethod]
    public void InvalidateTags_TagWithControlCharacters_IsAllowedAndExact()
    {
        Cache.Set("one", 1, new TagCacheEntryOptions { Tags = ["T\n1"] });
        Cache.Set("two", 2, new TagCacheEntryOptions { Tags = ["T\n2"] });

        Cache.InvalidateTags("T\n1");

        Assert.IsFalse(Cache.TryGet<int>("one", out _));
        Assert.IsTrue(Cache.TryGet<int>("two", out _));
    }

    [TestMethod]
    public void Set_MillionCharacterKey_Works()
    {
        var key = new string('k', 1_000_000);
        var almost = new string('k', 999_999) + "j";

        Cache.Set(key, 1);

        Assert.IsTrue(Cache.TryGet<int>(key, out _));
        Assert.IsFalse(Cache.TryGet<int>(almost, out _));
    }

    [TestMethod]
    public void InvalidateTags_HundredThousandCharacterTag_Works()
    {
        var tag = new string('t', 100_000);
        Cache.Set("k", 1, new TagCacheEntryOptions { Tags = [tag] });

        Cache.InvalidateTags(new string('t', 100_000));

        Assert.IsFalse(Cache.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void Set_TenThousandTagsOnOneEntry_InvalidatingAnyOneMakesItStale()
    {
        string[] tags = [.. Enumerable.Range(0, 10_000).Select(i => "Tag_" + i)];
        Cache.Set("k", 1, new TagCacheEntryOptions { Tags = tags });
        Assert.IsTrue(Cache.TryGet<int>("k", out _));

        Cache.InvalidateTags("Tag_9999");

        Assert.IsFalse(Cache.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void InvalidateTags_HundredThousandTagsAtOnce_InvalidatesEachCarrier()
    {
        Cache.Set("first", 1, new TagCacheEntryOptions { Tags = ["Tag_0"] });
        Cache.Set("last", 2, new TagCacheEntryOptions { Tags = ["Tag_99999"] });
        Cache.Set("other", 3, new TagCacheEntryOptions { Tags = ["Other"] });

        Cache.InvalidateTags([.. Enumerable.Range(0, 100_000).Select(i => "Tag_" + i)]);

        Assert.IsFalse(Cache.TryGet<int>("first", out _));
        Assert.IsFalse(Cache.TryGet<int>("last", out _));
        Assert.IsTrue(Cache.TryGet<int>("other", out _));
    }

    [TestMethod]
    public void TryGet_KeyStoredAsOtherType_ThrowsInvalidCastExceptionNamingKeyAndTypes()
    {
        Cache.Set("k", 42);

        var thrown = Assert.ThrowsExactly<InvalidCastException>(() => Cache.TryGet<string>("k", out _));
        Assert.Contains("holds a value of type System.Int32 but was requested as System.String.", thrown.Message);
        Assert.DoesNotContain("'k'", thrown.Message, "keys stay out of messages unless options.Telemetry.IncludeSensitiveData");
    }

    [TestMethod]
    public void TryGet_NullStoredRequestedAsValueType_ThrowsInvalidCastExceptionNotNullReference()
    {
        Cache.Set<string?>("k", null);

        var thrown = Assert.ThrowsExactly<InvalidCastException>(() => Cache.TryGet<int>("k", out _));
        Assert.Contains("holds null but was requested as System.Int32.", thrown.Message);
    }

    [TestMethod]
    public void TryGet_NullStoredRequestedAsReferenceType_HitsWithNull()
    {
        Cache.Set<string?>("k", null);

        Assert.IsTrue(Cache.TryGet<string?>("k", out var value));
        Assert.IsNull(value);
    }

    [TestMethod]
    public void Append_OutsideComputation_ThrowsInvalidOperationException()
    {
        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => CacheTags.Append("A"));
        Assert.Contains("outside a cached computation", thrown.Message);
    }

    [TestMethod]
    public void Append_EmptyTagInsideComputation_ThrowsAndStoresNothing()
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => Cache.GetOrSet("k", () =>
        {
            CacheTags.Append(string.Empty);
            return 1;
        }));

        Assert.Contains("A tag must not be null or empty.", thrown.Message);
        Assert.IsFalse(Cache.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void GetCache_UnknownName_ThrowsKeyNotFoundListingConfiguredCaches()
    {
        var thrown = Assert.ThrowsExactly<KeyNotFoundException>(() => _provider.GetCache("nope"));
        Assert.Contains("No TagCache named 'nope' is configured. Configured caches: default.", thrown.Message);
    }
}
