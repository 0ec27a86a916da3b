using Castle.DynamicProxy;
using TagCache.Interception.Handlers;
using TagCache.Interception.Proxies;

namespace TagCache.Interception.Planning;

/// <summary>Everything the interceptor needs for one method on one target, built once so a call does no reflection.</summary>
internal sealed class MethodPlan
{
    private MethodPlan(string name, ReturnHandler? handler, CachePlan? cache, InvalidationPlan[] invalidations)
    {
        Name = name;
        Handler = handler;
        Cache = cache;
        Invalidations = invalidations;
        Interceptor = handler is null ? null : new PlannedMethodInterceptor(this);
    }

    /// <summary>Gets the method as <c>Type.Method</c>, for messages.</summary>
    public string Name { get; }

    /// <summary>Gets the handler for the method's return type; null when the method has no TagCache attribute.</summary>
    public ReturnHandler? Handler { get; }

    public CachePlan? Cache { get; }

    public InvalidationPlan[] Invalidations { get; }

    public bool Invalidates => Invalidations.Length > 0;

    /// <summary>Gets a value indicating whether the method's keys or invalidated tags depend on the caller's scope.</summary>
    public bool UsesScope => Cache?.Scope is not null || Invalidations.Any(i => i.Partition is not null);

    /// <summary>Gets the interceptor bound to this plan, which proxies call for this method without looking anything up.</summary>
    public IInterceptor? Interceptor { get; }

    public static MethodPlan PassThrough(string name) => new(name, handler: null, cache: null, invalidations: []);

    public static MethodPlan Intercepted(string name, ReturnHandler handler, CachePlan? cache, InvalidationPlan[] invalidations) =>
        new(name, handler, cache, invalidations);
}
