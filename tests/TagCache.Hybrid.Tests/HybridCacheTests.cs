using System.Buffers;
using System.ComponentModel;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace TagCache.Hybrid.Tests;

public sealed class MutableProduct
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;
}

[ImmutableObject(true)]
public sealed record ImmutableProduct(int Id, string Name);

public interface IProducts
{
    [CacheWithTags("Product_{id}")]
    MutableProduct Get(int id);
}

public sealed class Products : IProducts
{
    public int Calls { get; private set; }

    public MutableProduct Get(int id)
    {
        Calls++;
        return new MutableProduct { Id = id, Name = "from the service" };
    }
}

/// <summary>Every member of <see cref="HybridCache"/> as TagCache implements it, and what TagCache adds: tags from factories and nested calls, the race rule, one store with [CacheWithTags].</summary>
[TestClass]
public sealed class HybridCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private ServiceProvider _services = null!;
    private HybridCache _cache = null!;
    private int _calls;

    [TestInitialize]
    public void Initialize() => Build();

    [TestCleanup]
    public void Cleanup() => _services.Dispose();

    [TestMethod]
    public async Task GetOrCreateAsync_SecondCall_HitWithoutRunningTheFactory()
    {
        var first = await _cache.GetOrCreateAsync("k", Count("v"));
        var second = await _cache.GetOrCreateAsync("k", Count("other"));

        Assert.AreEqual("v", first);
        Assert.AreEqual("v", second);
        Assert.AreEqual(1, _calls);
    }

    [TestMethod]
    public async Task GetOrCreateAsync_EmptyKey_FactoryAnswersNothingKept()
    {
        Assert.AreEqual("v1", await _cache.GetOrCreateAsync(string.Empty, Count("v1")));
        Assert.AreEqual("v2", await _cache.GetOrCreateAsync(string.Empty, Count("v2")));
    }

    [TestMethod]
    public async Task GetOrCreateAsync_NullValue_CachedLikeAnyOther()
    {
        var first = await _cache.GetOrCreateAsync<string?>("null", _ =>
        {
            _calls++;
            return ValueTask.FromResult<string?>(null);
        });
        var second = await _cache.GetOrCreateAsync("null", Count("not null"));

        Assert.IsNull(first);
        Assert.IsNull(second);
        Assert.AreEqual(1, _calls);
    }

    [TestMethod]
    public async Task GetOrCreateAsync_WithState_PassesTheStateToTheFactory()
    {
        var value = await _cache.GetOrCreateAsync("k", 41, static (state, _) => ValueTask.FromResult(state + 1));

        Assert.AreEqual(42, value);
    }

    [TestMethod]
    public async Task GetOrCreateAsync_MutableType_EachCallerGetsItsOwnCopy()
    {
        var first = await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new MutableProduct { Id = 1, Name = "Tea" }));
        first.Name = "changed by a caller";
        var second = await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new MutableProduct()));
        var third = await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new MutableProduct()));

        Assert.AreEqual("Tea", second.Name, "a caller's change never reaches the cache");
        Assert.AreNotSame(second, third);
    }

    [TestMethod]
    public async Task GetOrCreateAsync_SealedImmutableType_SameInstanceReused()
    {
        var first = await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new ImmutableProduct(1, "Tea")));
        var second = await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new ImmutableProduct(2, "Other")));

        Assert.AreSame(first, second);
    }

    [TestMethod]
    public async Task GetOrCreateAsync_SerializerRegistered_UsedForTheCopies()
    {
        var serializer = new CountingSerializer();
        Build(services => services.AddSingleton<IHybridCacheSerializer<MutableProduct>>(serializer));

        await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new MutableProduct { Id = 1, Name = "Tea" }));
        var copy = await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new MutableProduct()));

        Assert.AreEqual("Tea (copied)", copy.Name);
        Assert.AreEqual(2, serializer.Copies);
    }

    [TestMethod]
    public async Task SetAsync_ThenGetOrCreate_ReturnsTheValueAsSet()
    {
        var product = new MutableProduct { Id = 1, Name = "Set" };
        await _cache.SetAsync("p", product, tags: ["Product_1"]);
        product.Name = "changed after Set";

        var read = await _cache.GetOrCreateAsync("p", _ => ValueTask.FromResult(new MutableProduct()));

        Assert.AreEqual("Set", read.Name);
    }

    [TestMethod]
    public async Task RemoveAsync_OneAndMany_NextReadComputes()
    {
        await _cache.GetOrCreateAsync("a", Count("a"));
        await _cache.GetOrCreateAsync("b", Count("b"));
        await _cache.GetOrCreateAsync("c", Count("c"));

        await _cache.RemoveAsync("a");
        await _cache.RemoveAsync(["b", "c"]);
        await _cache.GetOrCreateAsync("a", Count("a"));
        await _cache.GetOrCreateAsync("b", Count("b"));
        await _cache.GetOrCreateAsync("c", Count("c"));

        Assert.AreEqual(6, _calls);
    }

    [TestMethod]
    public async Task RemoveByTagAsync_OneAndMany_OnlyTaggedEntriesGo()
    {
        await _cache.GetOrCreateAsync("a", Count("a"), tags: ["T1"]);
        await _cache.GetOrCreateAsync("b", Count("b"), tags: ["T2"]);
        await _cache.GetOrCreateAsync("c", Count("c"), tags: ["T3"]);
        await _cache.GetOrCreateAsync("d", Count("d"), tags: ["T4"]);

        await _cache.RemoveByTagAsync("T1");
        await _cache.RemoveByTagAsync(["T2", "T3"]);
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await _cache.GetOrCreateAsync(key, Count(key), tags: ["T" + (key[0] - 'a' + 1)]);
        }

        Assert.AreEqual(7, _calls, "a, b and c again; d was a hit");
    }

    [TestMethod]
    public async Task RemoveByTagAsync_Star_RemovesEverythingTaggedOrNot()
    {
        await _cache.GetOrCreateAsync("tagged", Count("t"), tags: ["T"]);
        await _cache.GetOrCreateAsync("untagged", Count("u"));

        await _cache.RemoveByTagAsync("*");
        await _cache.GetOrCreateAsync("tagged", Count("t"), tags: ["T"]);
        await _cache.GetOrCreateAsync("untagged", Count("u"));

        Assert.AreEqual(4, _calls);
    }

    [TestMethod]
    public async Task Flags_DisableUnderlyingData_MissReturnsDefaultWithoutCalling()
    {
        var value = await _cache.GetOrCreateAsync("k", Count("v"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });

        Assert.IsNull(value);
        Assert.AreEqual(0, _calls);
    }

    [TestMethod]
    public async Task Flags_DisableLocalCacheRead_FactoryRunsEveryTimeAndStores()
    {
        var options = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheRead };
        await _cache.GetOrCreateAsync("k", Count("v1"), options);
        await _cache.GetOrCreateAsync("k", Count("v2"), options);

        Assert.AreEqual(2, _calls);
        Assert.AreEqual("v2", await _cache.GetOrCreateAsync("k", Count("v3")), "the last value was stored");
    }

    [TestMethod]
    public async Task Flags_DisableLocalCacheWrite_ValueNotKept()
    {
        await _cache.GetOrCreateAsync("k", Count("v1"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite });

        Assert.AreEqual("v2", await _cache.GetOrCreateAsync("k", Count("v2")));
    }

    [TestMethod]
    public async Task Expiration_Passed_NextReadComputes()
    {
        await _cache.GetOrCreateAsync("k", Count("v1"), new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) });
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.AreEqual("v1", await _cache.GetOrCreateAsync("k", Count("v2")));

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.AreEqual("v3", await _cache.GetOrCreateAsync("k", Count("v3")));
    }

    [TestMethod]
    public async Task LocalCacheExpiration_ShorterThanExpiration_DecidesTheLifetimeInMemory()
    {
        await _cache.GetOrCreateAsync("k", Count("v1"), new HybridCacheEntryOptions { Expiration = TimeSpan.FromHours(1), LocalCacheExpiration = TimeSpan.FromMinutes(1) });
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.AreEqual("v2", await _cache.GetOrCreateAsync("k", Count("v2")));
    }

    [TestMethod]
    public async Task Cancellation_OneCallerOfTwo_TheOtherStillGetsTheValue()
    {
        var release = new TaskCompletionSource<string>();
        using var leaving = new CancellationTokenSource();
        var first = _cache.GetOrCreateAsync("k", async token => await release.Task.WaitAsync(token), cancellationToken: leaving.Token).AsTask();
        var second = _cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("not called"), cancellationToken: CancellationToken.None).AsTask();

        await leaving.CancelAsync();
        release.SetResult("shared");

        await Assert.ThrowsAsync<OperationCanceledException>(() => first);
        Assert.AreEqual("shared", await second);
    }

    [TestMethod]
    public async Task Factory_Throws_ExceptionReachesTheCallerAndNothingIsCached()
    {
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(async () => await _cache.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("down")));

        Assert.AreEqual("v", await _cache.GetOrCreateAsync("k", Count("v")));
    }

    [TestMethod]
    public async Task Factory_AppendsATag_EntryCarriesIt()
    {
        await _cache.GetOrCreateAsync("k", _ =>
        {
            CacheTags.Append("Appended");
            _calls++;
            return ValueTask.FromResult("v");
        });

        await _cache.RemoveByTagAsync("Appended");

        Assert.AreEqual("v2", await _cache.GetOrCreateAsync("k", Count("v2")));
    }

    [TestMethod]
    public async Task NestedGetOrCreate_InnerTagPropagatesToTheOuterEntry()
    {
        await _cache.GetOrCreateAsync("outer", async token =>
        {
            var inner = await _cache.GetOrCreateAsync("inner", Count("inner"), tags: ["Inner"], cancellationToken: token);
            return "outer+" + inner;
        });

        await _cache.RemoveByTagAsync("Inner");

        Assert.AreEqual("recomputed", await _cache.GetOrCreateAsync("outer", Count("recomputed")));
    }

    [TestMethod]
    public async Task InvalidatedWhileTheFactoryRuns_ValueReturnedButNotKept()
    {
        var value = await _cache.GetOrCreateAsync("k", async _ =>
        {
            await _cache.RemoveByTagAsync("T");
            return "read before the invalidation";
        }, tags: ["T"]);

        Assert.AreEqual("read before the invalidation", value);
        Assert.AreEqual("fresh", await _cache.GetOrCreateAsync("k", Count("fresh"), tags: ["T"]));
    }

    [TestMethod]
    public async Task CachedMethodAndHybridCache_OneTag_InvalidatesBoth()
    {
        var products = new Products();
        Build(services => services.AddSingleton<IProducts>(products).AddTagCaching<IProducts>());
        var service = _services.GetRequiredService<IProducts>();
        service.Get(1);
        await _cache.GetOrCreateAsync("page:1", Count("page"), tags: ["Product_1"]);

        await _cache.RemoveByTagAsync("Product_1");
        service.Get(1);
        await _cache.GetOrCreateAsync("page:1", Count("page"), tags: ["Product_1"]);

        Assert.AreEqual(2, products.Calls, "the method's entry went");
        Assert.AreEqual(2, _calls, "and the HybridCache entry");
    }

    [TestMethod]
    public async Task Keyed_NamedCache_SeparateEntriesSameRules()
    {
        Build(services => services.AddKeyedTagCacheHybridCache("catalog"), options => options.AddCache("catalog"));
        var catalog = _services.GetRequiredKeyedService<HybridCache>("catalog");
        await catalog.GetOrCreateAsync("k", Count("catalog"));

        Assert.AreEqual("default", await _cache.GetOrCreateAsync("k", Count("default")), "another cache, another entry");
        Assert.AreEqual("catalog", await catalog.GetOrCreateAsync("k", Count("again")));
    }

    private Func<CancellationToken, ValueTask<string>> Count(string value) => _ =>
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(value);
    };

    private void Build(Action<IServiceCollection>? more = null, Action<TagCacheOptions>? options = null)
    {
        _services?.Dispose();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        services.AddTagCache(o => options?.Invoke(o));
        services.AddTagCacheHybridCache();
        more?.Invoke(services);
        _services = services.BuildServiceProvider();
        _cache = _services.GetRequiredService<HybridCache>();
    }

    private sealed class CountingSerializer : IHybridCacheSerializer<MutableProduct>
    {
        public int Copies { get; private set; }

        public MutableProduct Deserialize(ReadOnlySequence<byte> source)
        {
            Copies++;
            var name = System.Text.Encoding.UTF8.GetString(source.ToArray());
            return new MutableProduct { Id = 1, Name = name + " (copied)" };
        }

        public void Serialize(MutableProduct value, IBufferWriter<byte> target) => target.Write(System.Text.Encoding.UTF8.GetBytes(value.Name));
    }
}
