using Castle.DynamicProxy;
using TagCache.Interception.Handlers;
using TagCache.Interception.Proxies;

namespace TagCache.Interception.Planning;

/// <summary>Everything a proxy needs for one method on one target, built once so a call does no reflection.</summary>
internal sealed class MethodPlan
{
    private ReturnHandler? _handler;
    private IInterceptor? _interceptor;

    private MethodPlan(string name, bool intercepted, ReturnShape shape, Type? valueType, CachePlan? cache, InvalidationPlan[] invalidations)
    {
        Name = name;
        IsIntercepted = intercepted;
        Shape = shape;
        ValueType = valueType;
        Cache = cache;
        Invalidations = invalidations;
    }

    /// <summary>Gets the method as <c>Type.Method</c>, for messages.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the method carries a TagCache attribute, so its calls run the plan.</summary>
    public bool IsIntercepted { get; }

    /// <summary>Gets how the method's return type wraps its result.</summary>
    public ReturnShape Shape { get; }

    /// <summary>Gets the result a caller gets, unwrapped from tasks; null for void, <see cref="Task"/> and <see cref="ValueTask"/>.</summary>
    public Type? ValueType { get; }

    /// <summary>
    /// Gets the handler for Castle's calls; null when the method has no TagCache attribute. Made on first use, because it is
    /// made by reflection (a generic type per result type), which a generated decorator, bringing its own, never needs.
    /// </summary>
    public ReturnHandler? Handler => IsIntercepted ? _handler ??= ReturnHandlers.Create(Shape, ValueType) : null;

    public CachePlan? Cache { get; }

    public InvalidationPlan[] Invalidations { get; }

    public bool Invalidates => Invalidations.Length > 0;

    /// <summary>Gets a value indicating whether the method's keys or invalidated tags depend on the caller's scope.</summary>
    public bool UsesScope => Cache?.Scope is not null || Invalidations.Any(i => i.Partition is not null);

    /// <summary>Gets the interceptor bound to this plan, which Castle's proxies call for this method without looking anything up.</summary>
    public IInterceptor? Interceptor => IsIntercepted ? _interceptor ??= new PlannedMethodInterceptor(this) : null;

    public static MethodPlan PassThrough(string name) => new(name, intercepted: false, ReturnShape.Void, valueType: null, cache: null, invalidations: []);

    public static MethodPlan Intercepted(string name, ReturnShape shape, Type? valueType, CachePlan? cache, InvalidationPlan[] invalidations) =>
        new(name, intercepted: true, shape, valueType, cache, invalidations);
}
