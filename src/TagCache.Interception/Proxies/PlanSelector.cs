using System.Collections.Concurrent;
using System.Reflection;
using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Proxies;

/// <summary>
/// Castle asks this once per proxy instance and method; it swaps the general interceptor for one bound to the
/// method's plan, and leaves methods without attributes with no interceptor at all.
/// </summary>
internal sealed class PlanSelector : IInterceptorSelector
{
    // One bound interceptor per plan, so transient services (a proxy per resolve) don't allocate one per instance.
    private readonly ConcurrentDictionary<MethodPlan, PlannedMethodInterceptor> _bound = new(ReferenceEqualityComparer.Instance);

    public static PlanSelector Instance { get; } = new();

    public IInterceptor[] SelectInterceptors(Type type, MethodInfo method, IInterceptor[] interceptors)
    {
        var selected = new List<IInterceptor>(interceptors.Length);
        foreach (var interceptor in interceptors)
        {
            if (interceptor is not TagCacheInterceptor tagCache)
            {
                selected.Add(interceptor);
            }
            else if (tagCache.PlanFor(method, type) is { Handler: not null } plan)
            {
                selected.Add(_bound.GetOrAdd(plan, static p => new PlannedMethodInterceptor(p)));
            }
        }

        return [.. selected];
    }
}
