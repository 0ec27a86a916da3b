using System.Collections.Concurrent;
using System.Reflection;
using Castle.DynamicProxy;
using Microsoft.Extensions.Logging;
using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;

namespace TagCache.Interception;

/// <summary>
/// Honours <see cref="CacheWithTagsAttribute"/> and <see cref="InvalidateTagsAttribute"/> on intercepted calls. Use it with
/// any Castle DynamicProxy integration (interface proxies with target); <c>EnableTagCaching()</c> (Autofac) and
/// <c>AddTagCaching&lt;TService&gt;()</c> (Microsoft DI) wire it for you and check every method when the container is built.
/// </summary>
/// <remarks>
/// Each method is planned once (attributes, key and tag templates, named cache, return type); a call only runs the plan.
/// Attributes are read from the interface method and from the implementing method. Only calls through the proxy are
/// intercepted: a call from one method of the implementation to another on the same instance bypasses the cache.
/// </remarks>
public sealed class TagCacheInterceptor : IInterceptor
{
    private readonly ConcurrentDictionary<PlanKey, MethodPlan> _plans = new();

    // Castle hands every call the same MethodInfo instance, so a reference lookup finds the plan without the cost of
    // MethodInfo equality (about 10 ns of a 160 ns hit, measured); it holds the first target type seen per method.
    private readonly ConcurrentDictionary<MethodInfo, FirstTargetPlan> _byMethod = new(ReferenceEqualityComparer.Instance);
    private readonly MethodPlanner _planner;

    /// <summary>Initializes a new instance of the <see cref="TagCacheInterceptor"/> class.</summary>
    /// <param name="provider">The named caches that attributes refer to.</param>
    /// <param name="logger">
    /// Where faults of a cache are logged (prefix "TagCache:"). When a cache lookup or store throws, the call runs the
    /// target uncached and returns its result; <see langword="null"/> means such faults are not logged.
    /// </param>
    public TagCacheInterceptor(ITagCacheProvider provider, ILogger<TagCacheInterceptor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _planner = new MethodPlanner(provider, logger is null ? null : new StoreFaults(logger));
    }

    /// <inheritdoc/>
    /// <exception cref="TagCacheConfigurationException">The method was not checked when the container was built and its attributes are invalid.</exception>
    public void Intercept(IInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var method = invocation.Method;
        var targetType = invocation.TargetType;
        MethodPlan? plan;
        if (_byMethod.TryGetValue(method, out var first) && first.TargetType == targetType)
        {
            plan = first.Plan;
        }
        else
        {
            if (!_plans.TryGetValue(new PlanKey(method, targetType), out plan))
            {
                plan = PlanOrThrow(method, targetType);
            }

            // Only the first target type is remembered, so several target types never make calls allocate by taking turns.
            if (first is null)
            {
                _byMethod.TryAdd(method, new FirstTargetPlan(targetType, plan));
            }
        }

        if (plan.Handler is { } handler)
        {
            handler.Intercept(invocation, plan);
        }
        else
        {
            invocation.Proceed();
        }
    }

    /// <summary>
    /// Plans every method of <paramref name="serviceType"/> (and the interfaces it extends) for targets of
    /// <paramref name="targetType"/>, so misconfigurations surface before the first call.
    /// </summary>
    /// <returns>Every problem found; empty when all methods are fine.</returns>
    internal IReadOnlyList<PlanProblem> Prepare(Type serviceType, Type? targetType)
    {
        var problems = new List<PlanProblem>();
        foreach (var contract in serviceType.GetInterfaces().Prepend(serviceType))
        {
            foreach (var method in contract.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                if (_planner.Plan(method, targetType, problems) is { } plan)
                {
                    _plans.TryAdd(new PlanKey(method, targetType), plan);
                }
            }
        }

        return problems;
    }

    /// <summary>Gets the plan of a method for targets of a type, planning it now if the container did not.</summary>
    internal MethodPlan PlanFor(MethodInfo method, Type? targetType) =>
        _plans.TryGetValue(new PlanKey(method, targetType), out var plan) ? plan : PlanOrThrow(method, targetType);

    private MethodPlan PlanOrThrow(MethodInfo method, Type? targetType)
    {
        var problems = new List<PlanProblem>();
        var plan = _planner.Plan(method, targetType, problems)
            ?? throw new TagCacheConfigurationException([.. problems.Select(p => p.ToString())]);
        return _plans.GetOrAdd(new PlanKey(method, targetType), plan);
    }

    /// <summary>Plans depend on the target type too, because attributes may sit on the implementing method.</summary>
    private readonly record struct PlanKey(MethodInfo Method, Type? TargetType);

    private sealed record FirstTargetPlan(Type? TargetType, MethodPlan Plan);
}
