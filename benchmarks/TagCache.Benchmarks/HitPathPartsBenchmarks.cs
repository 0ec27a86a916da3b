using System.Collections.Concurrent;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Memory;
using TagCache.Benchmarks.Catalog;
using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;
using TagCache.Stores;

namespace TagCache.Benchmarks;

/// <summary>
/// Where a TagCache hit spends its time, part by part, with the same key the proxy builds; read it next to
/// <see cref="HitBenchmarks"/> to see what stands between a hit and the hand-written decorator.
/// </summary>
[MemoryDiagnoser]
public class HitPathPartsBenchmarks
{
    private readonly object?[] _args = [42];
    private readonly ConcurrentDictionary<PartsKey, object> _plans = new();
    private MethodInfo _method = null!;
    private CachePlan _plan = null!;
    private MemoryCache _memory = null!;
    private string _key = null!;
    private string _noExpiryKey = null!;
    private MemoryCache _tickMemory = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var provider = (IDisposable)TagCacheFactory.Create();
        _method = typeof(ICatalogService).GetMethod(nameof(ICatalogService.GetProduct))!;
        var problems = new List<PlanProblem>();
        var target = new TargetIdentity(typeof(CatalogService), typeof(CatalogService).FullName!);
        _plan = new MethodPlanner(CacheCatalog.Of((ITagCacheProvider)provider), CacheFaults.None).Plan(_method, target, problems)!.Cache!;
        _key = _plan.Key.Format(_args);
        Console.WriteLine($"// key: {_key} ({_key.Length} chars)");
        _memory = new MemoryCache(new MemoryCacheOptions());
        _memory.Set(_key, new object(), TimeSpan.FromHours(1));
        _memory.Set("Product_42", new object(), TimeSpan.FromHours(1));
        _noExpiryKey = "NoExpiry_" + _key;
        _memory.Set(_noExpiryKey, new object());

        // The lookup a hit makes today: by the call's argument values, on the tick clock.
        var probe = CallKey.Probe(_plan.CallKeys!, _args);
        var kept = probe.Keep();
        probe.Release();
        _memory.Set(kept, new object(), TimeSpan.FromHours(1));
        _tickMemory = new MemoryCache(new MemoryCacheOptions { Clock = new TickClock() });
        _tickMemory.Set(kept, new object(), TimeSpan.FromHours(1));
        _plans[new PartsKey(_method, typeof(CatalogService))] = new object();
        for (var i = 0; i < 20; i++)
        {
            _plans[new PartsKey(typeof(ICatalogService).GetMethods()[i % 8], typeof(string))] = new object();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _memory.Dispose();
        _tickMemory.Dispose();
    }

    [Benchmark]
    public object PlanLookup() => _plans.TryGetValue(new PartsKey(_method, typeof(CatalogService)), out var plan) ? plan : null!;

    [Benchmark]
    public int FormatKey()
    {
        Span<char> buffer = stackalloc char[512];
        _plan.Key.TryFormat(buffer, _args, null, out var written);
        return written;
    }

    [Benchmark]
    public bool MemoryLookupSpan() => _memory.TryGetValue(_key.AsSpan(), out _);

    [Benchmark]
    public bool MemoryLookupString() => _memory.TryGetValue(_key, out _);

    [Benchmark]
    public bool MemoryLookupShortKey() => _memory.TryGetValue("Product_42", out _);

    [Benchmark]
    public bool MemoryLookupNoExpiry() => _memory.TryGetValue(_noExpiryKey, out _);

    [Benchmark]
    public int CallKeyProbe()
    {
        var probe = CallKey.Probe(_plan.CallKeys!, _args);
        var hash = probe.GetHashCode();
        probe.Release();
        return hash;
    }

    [Benchmark]
    public bool MemoryLookupCallKey()
    {
        var probe = CallKey.Probe(_plan.CallKeys!, _args);
        var found = _memory.TryGetValue(probe, out _);
        probe.Release();
        return found;
    }

    [Benchmark]
    public bool MemoryLookupCallKeyTickClock()
    {
        var probe = CallKey.Probe(_plan.CallKeys!, _args);
        var found = _tickMemory.TryGetValue(probe, out _);
        probe.Release();
        return found;
    }

    [Benchmark]
    public long TickCount() => Environment.TickCount64;

    [Benchmark]
    public long Timestamp() => TimeProvider.System.GetTimestamp();

    [Benchmark]
    public DateTime UtcNow() => DateTime.UtcNow;

    private readonly record struct PartsKey(MethodInfo Method, Type? TargetType);
}
