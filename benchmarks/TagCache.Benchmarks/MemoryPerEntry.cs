using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Baselines;
using TagCache.Benchmarks.Support;
using ZiggyCreatures.Caching.Fusion;

namespace TagCache.Benchmarks;

/// <summary>
/// Bytes per cached entry: GC heap after a full collection, before and after storing <see cref="Entries"/> entries. Keys,
/// tag names and the value are allocated beforehand and shared, so the figure is what each cache adds per entry. Shared
/// tags are 100 categories / 10 suppliers / one catalog tag; "distinct" gives every entry its own tag (Product_{i}), so the
/// per-tag bookkeeping (TagState / CancellationTokenSource) is paid per entry too.
/// </summary>
public static class MemoryPerEntry
{
    public const int Entries = 100_000;

    // One immutable value for every entry (HybridCache keeps an instance only of a type marked immutable; it would copy others).
    private static readonly Catalog.Product Value = new(1, "Shared", 1);
    private static readonly string[] Keys = [.. Enumerable.Range(0, Entries).Select(i => $"Product_{i}")];
    private static readonly string[] ProductTags = [.. Enumerable.Range(0, Entries).Select(i => $"ProductTag_{i}")];
    private static readonly string[] CategoryTags = [.. Enumerable.Range(0, 100).Select(i => $"Category_{i}")];
    private static readonly string[] SupplierTags = [.. Enumerable.Range(0, 10).Select(i => $"Supplier_{i}")];
    private const string CatalogTag = "Catalog";

    public static string Run()
    {
        var plain = Measure(() =>
        {
            var cache = new MemoryCache(new MemoryCacheOptions());
            return (i => cache.Set(Keys[i], Value, CatalogVariants.TimeToLive), cache);
        });

        var rows = new List<(string Variant, string Tags, double Bytes, int TagCount)>
        {
            ("MemoryCache (plain entry, absolute expiry)", "0", plain, 0),
            ("Token idiom", "0", MeasureTokens(0), 0),
            ("Token idiom", "1 shared", MeasureTokens(1), 1),
            ("Token idiom", "3 shared", MeasureTokens(3), 3),
            ("Token idiom", "1 distinct", MeasureTokens(-1), 1),
            ("TagCache", "0", MeasureTagCache(0), 0),
            ("TagCache", "1 shared", MeasureTagCache(1), 1),
            ("TagCache", "3 shared", MeasureTagCache(3), 3),
            ("TagCache", "1 distinct", MeasureTagCache(-1), 1),
            ("FusionCache 2.9", "0", MeasureFusion(0), 0),
            ("FusionCache 2.9", "1 shared", MeasureFusion(1), 1),
            ("FusionCache 2.9", "3 shared", MeasureFusion(3), 3),
            ("FusionCache 2.9", "1 distinct", MeasureFusion(-1), 1),
            ("HybridCache 10.0", "0", MeasureHybrid(0), 0),
            ("HybridCache 10.0", "1 shared", MeasureHybrid(1), 1),
            ("HybridCache 10.0", "3 shared", MeasureHybrid(3), 3),
            ("HybridCache 10.0", "1 distinct", MeasureHybrid(-1), 1),
        };

        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Memory per entry over {Entries:N0} entries (GC.GetTotalMemory(true) delta / entries)")
            .AppendLine()
            .AppendLine("| Variant | Tags | Bytes/entry | Over plain | TagCache target (plain + 64 + 16/tag) |")
            .AppendLine("|---|---|---:|---:|---|");
        foreach (var (variant, tags, bytes, tagCount) in rows)
        {
            var target = variant == "TagCache"
                ? $"≤ {plain + 64 + (16 * tagCount):F0}: {(bytes <= plain + 64 + (16 * tagCount) + 0.5 ? "met" : "NOT met")}"
                : string.Empty;
            table.AppendLine(CultureInfo.InvariantCulture, $"| {variant} | {tags} | {bytes:F1} | {bytes - plain:F1} | {target} |");
        }

        return table.ToString();
    }

    private static double MeasureTokens(int tags) => Measure(() =>
    {
        var memory = new MemoryCache(new MemoryCacheOptions());
        var tokens = new TokenTagCache(memory, CatalogVariants.TimeToLive);
        Action<int> add = tags switch
        {
            0 => i => tokens.Set(Keys[i], Value),
            1 => i => tokens.Set(Keys[i], Value, CategoryTags[i % 100]),
            3 => i => tokens.Set(Keys[i], Value, CategoryTags[i % 100], SupplierTags[i % 10], CatalogTag),
            _ => i => tokens.Set(Keys[i], Value, ProductTags[i]),
        };
        return (add, memory);
    });

    private static double MeasureTagCache(int tags) => Measure(() =>
    {
        var provider = TagCacheFactory.Create(options => options.ReclaimInterval = TimeSpan.FromHours(1));
        var cache = provider.GetCache(TagCacheOptions.DefaultCacheName);
        var oneShared = CategoryTags.Select(tag => new TagCacheEntryOptions { Tags = [tag] }).ToArray();
        var threeShared = Enumerable.Range(0, 100)
            .Select(i => new TagCacheEntryOptions { Tags = [CategoryTags[i], SupplierTags[i % 10], CatalogTag] })
            .ToArray();
        Action<int> add = tags switch
        {
            0 => i => cache.Set(Keys[i], Value),
            1 => i => cache.Set(Keys[i], Value, oneShared[i % 100]),
            3 => i => cache.Set(Keys[i], Value, threeShared[i % 100]),
            _ => i => cache.Set(Keys[i], Value, new TagCacheEntryOptions { Tags = [ProductTags[i]] }),
        };
        return (add, (IDisposable)provider);
    });

    private static double MeasureFusion(int tags) => Measure(() =>
    {
        var cache = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = CatalogVariants.TimeToLive } });
        var oneShared = CategoryTags.Select(tag => new[] { tag }).ToArray();
        var threeShared = Enumerable.Range(0, 100).Select(i => new[] { CategoryTags[i], SupplierTags[i % 10], CatalogTag }).ToArray();
        Action<int> add = tags switch
        {
            0 => i => cache.Set(Keys[i], Value),
            1 => i => cache.Set(Keys[i], Value, tags: oneShared[i % 100]),
            3 => i => cache.Set(Keys[i], Value, tags: threeShared[i % 100]),
            _ => i => cache.Set(Keys[i], Value, tags: [ProductTags[i]]),
        };
        return (add, (IDisposable)cache);
    });

    private static double MeasureHybrid(int tags) => Measure(() =>
    {
        var services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        var cache = services.GetRequiredService<HybridCache>();
        var entry = new HybridCacheEntryOptions { Expiration = CatalogVariants.TimeToLive, LocalCacheExpiration = CatalogVariants.TimeToLive };
        var oneShared = CategoryTags.Select(tag => new[] { tag }).ToArray();
        var threeShared = Enumerable.Range(0, 100).Select(i => new[] { CategoryTags[i], SupplierTags[i % 10], CatalogTag }).ToArray();
        Action<int> add = tags switch
        {
            0 => i => cache.SetAsync(Keys[i], Value, entry).AsTask().GetAwaiter().GetResult(),
            1 => i => cache.SetAsync(Keys[i], Value, entry, oneShared[i % 100]).AsTask().GetAwaiter().GetResult(),
            3 => i => cache.SetAsync(Keys[i], Value, entry, threeShared[i % 100]).AsTask().GetAwaiter().GetResult(),
            _ => i => cache.SetAsync(Keys[i], Value, entry, [ProductTags[i]]).AsTask().GetAwaiter().GetResult(),
        };
        return (add, (IDisposable)services);
    });

    private static double Measure(Func<(Action<int> Add, IDisposable Owner)> create)
    {
        var (add, owner) = create();
        try
        {
            // Warm the code paths and the tag states first, so neither JIT data nor shared tags count as per-entry memory.
            add(0);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 1; i < Entries; i++)
            {
                add(i);
            }

            var after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(add);
            return (after - before) / (double)(Entries - 1);
        }
        finally
        {
            owner.Dispose();
        }
    }
}
