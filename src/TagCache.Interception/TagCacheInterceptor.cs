using System.Collections.Concurrent;
using System.Reflection;
using Castle.DynamicProxy;
using Microsoft.Extensions.Logging;
using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;
using TagCache.Interception.Proxies;

namespace TagCache.Interception;

/// <summary>
/// Honours <see cref="CacheWithTagsAttribute"/> and <see cref="InvalidateTagsAttribute"/> on intercepted calls. Use it with
/// any Castle DynamicProxy integration (interface proxies with target); <c>EnableTagCaching()</c> (Autofac) and
/// <c>AddTagCaching&lt;TService&gt;()</c> (Microsoft DI) wire it for you, check every method when the container is built,
/// and keep the entries of different registrations apart.
/// </summary>
/// <remarks>
/// Each method is planned once per target (attributes, key and tag templates, named cache, return type); a call only runs
/// the plan. Attributes are read from the interface method and from the implementing method. Only calls through the proxy
/// are intercepted: a call from one method of the implementation to another on the same instance bypasses the cache.
/// Used directly, the interceptor identifies a target by its type: two instances of one type configured differently
/// share entries unless their methods have distinct <c>Key</c> templates.
/// </remarks>
public sealed class TagCacheInterceptor : IInterceptor
{
    private readonly ConcurrentDictionary<(MethodInfo Method, TargetIdentity Target), MethodPlan> _plans = new();

    // Castle hands every call the same MethodInfo instance, so a reference lookup finds the plan without the cost of
    // MethodInfo equality; it holds the first target type seen per method.
    private readonly ConcurrentDictionary<MethodInfo, FirstTargetPlan> _byMethod = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<object, RegistrationInterceptor> _registrations = new(ReferenceEqualityComparer.Instance);
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
        _planner = new MethodPlanner(CacheCatalog.Of(provider), logger is null ? CacheFaults.None : new CacheFaults(logger));
    }

    /// <summary>Gets the identities of the targets this interceptor has seen, one per registration.</summary>
    internal TargetIdentities Identities { get; } = new();

    /// <inheritdoc/>
    /// <exception cref="TagCacheConfigurationException">The method was not checked when the container was built and its attributes are invalid.</exception>
    public void Intercept(IInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var method = invocation.Method;
        var targetType = invocation.TargetType;
        MethodPlan plan;
        if (_byMethod.TryGetValue(method, out var first) && first.TargetType == targetType)
        {
            plan = first.Plan;
        }
        else
        {
            plan = PlanFor(method, targetType is null ? null : Identities.ForType(targetType));

            // Only the first target type is remembered, so several target types never make calls allocate by taking turns.
            if (first is null)
            {
                _byMethod.TryAdd(method, new FirstTargetPlan(targetType, plan));
            }
        }

        if (plan.Handler is { } handler)
        {
            handler.Intercept(invocation, plan, scope: null);
        }
        else
        {
            invocation.Proceed();
        }
    }

    /// <summary>The interceptor for the proxies of one registration, whose entries stay apart from other registrations'.</summary>
    /// <param name="registration">The container's registration object; it lives as long as the container, like this interceptor.</param>
    /// <param name="serviceKeys">The registration's service keys, if it is keyed.</param>
    /// <param name="declared">What the registration declared its entries vary by (<c>EnableTagCaching(scope =&gt; ...)</c>), if anything.</param>
    internal RegistrationInterceptor ForRegistration(object registration, IReadOnlyList<object> serviceKeys, TagCacheScopeOptions? declared = null) =>
        _registrations.TryGetValue(registration, out var known) ? known : _registrations.GetOrAdd(registration, r => new RegistrationInterceptor(this, r, serviceKeys, declared));

    /// <summary>
    /// Gets a value indicating whether the proxies of a registration need the caller's scope: its own declaration varies
    /// by scope state, or (declaring nothing) one of the caches does.
    /// </summary>
    internal bool NeedsScope(TagCacheScopeOptions? declared) =>
        declared is { IsDeclared: true } ? declared.Rule is not null : _planner.AnyCacheVaries;

    /// <summary>Gets the plan of a method for a target, planning it now if it was not prepared.</summary>
    /// <exception cref="TagCacheConfigurationException">The method's attributes are invalid.</exception>
    internal MethodPlan PlanFor(MethodInfo method, TargetIdentity? target)
    {
        target ??= Identities.ForType(method.DeclaringType ?? typeof(object));
        if (_plans.TryGetValue((method, target), out var plan))
        {
            return plan;
        }

        var problems = new List<PlanProblem>();
        plan = _planner.Plan(method, target, problems) ?? throw new TagCacheConfigurationException([.. problems.Select(p => p.ToString())]);
        return _plans.GetOrAdd((method, target), plan);
    }

    /// <summary>
    /// Plans every method of <paramref name="serviceTypes"/> (and the interfaces they extend) for <paramref name="target"/>,
    /// once, before its first proxy is handed out: what the container build could not see fails at the first resolve.
    /// </summary>
    /// <exception cref="TagCacheConfigurationException">Some methods are misconfigured; every problem is listed.</exception>
    internal void Prepare(IEnumerable<Type> serviceTypes, TargetIdentity target)
    {
        if (!target.Prepared)
        {
            Prepare(ServiceMethods.Of(serviceTypes), target);
        }
    }

    /// <summary>Plans <paramref name="methods"/> for <paramref name="target"/> once, before its first decorator is handed out.</summary>
    /// <exception cref="TagCacheConfigurationException">Some methods are misconfigured; every problem is listed.</exception>
    internal void Prepare(IEnumerable<MethodInfo> methods, TargetIdentity target)
    {
        if (target.Prepared)
        {
            return;
        }

        var problems = new List<PlanProblem>();
        foreach (var method in methods)
        {
            if (_planner.Plan(method, target, problems) is { } plan)
            {
                _plans.TryAdd((method, target), plan);
            }
        }

        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException([.. problems.Select(p => p.ToString())]);
        }

        target.Prepared = true;
    }

    private sealed record FirstTargetPlan(Type? TargetType, MethodPlan Plan);
}
