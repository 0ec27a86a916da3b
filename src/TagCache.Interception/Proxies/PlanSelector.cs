using System.Reflection;
using Castle.DynamicProxy;

namespace TagCache.Interception.Proxies;

/// <summary>
/// Castle asks this once per proxy instance and method; it swaps TagCache's interceptor for the one bound to the method's
/// plan, and leaves methods without attributes with no interceptor at all. It holds no state (plans live with the
/// interceptor of their container), so one instance serves every container.
/// </summary>
internal sealed class PlanSelector : IInterceptorSelector
{
    public static PlanSelector Instance { get; } = new();

    public IInterceptor[] SelectInterceptors(Type type, MethodInfo method, IInterceptor[] interceptors)
    {
        var selected = new List<IInterceptor>(interceptors.Length);
        foreach (var interceptor in interceptors)
        {
            var plan = interceptor switch
            {
                ScopedInterceptor scoped => scoped.Registration.PlanFor(method, type),
                RegistrationInterceptor registration => registration.PlanFor(method, type),
                TagCacheInterceptor general => general.PlanFor(method, general.Identities.ForType(type)),
                _ => null,
            };

            if (plan is null)
            {
                selected.Add(interceptor);
            }
            else if (plan.Interceptor is { } bound)
            {
                // One per proxy instance and method, made on its first call: the instance's scope is bound in.
                selected.Add(interceptor is ScopedInterceptor { Scope: var scope } && plan.UsesScope ? new PlannedMethodInterceptor(plan, scope) : bound);
            }
        }

        return [.. selected];
    }
}
