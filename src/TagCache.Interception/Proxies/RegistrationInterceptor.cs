using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Proxies;

/// <summary>
/// What the proxies of one registration carry: the container's <see cref="TagCacheInterceptor"/> and the registration,
/// so every target the registration makes gets that registration's identity (and so its own entries).
/// <see cref="PlanSelector"/> replaces it, per method, by the interceptor bound to the method's plan.
/// </summary>
internal sealed class RegistrationInterceptor(TagCacheInterceptor owner, object registration, IReadOnlyList<object> serviceKeys, TagCacheScopeOptions? declared) : IInterceptor
{
    public TargetIdentity IdentityOf(Type targetType) => owner.Identities.For(registration, targetType, serviceKeys, declared);

    /// <summary>Gets a value indicating whether this registration's keys may vary by state of the caller's scope.</summary>
    public bool NeedsScope => owner.NeedsScope(declared);

    /// <summary>Plans every method of the services for this target type before its first proxy exists.</summary>
    public void Prepare(IEnumerable<Type> serviceTypes, Type targetType) => owner.Prepare(serviceTypes, IdentityOf(targetType));

    public MethodPlan PlanFor(System.Reflection.MethodInfo method, Type targetType) => owner.PlanFor(method, IdentityOf(targetType));

    public void Intercept(IInvocation invocation)
    {
        var plan = PlanFor(invocation.Method, invocation.TargetType ?? invocation.Method.DeclaringType!);
        if (plan.Handler is { } handler)
        {
            handler.Intercept(invocation, plan, scope: null);
        }
        else
        {
            invocation.Proceed();
        }
    }
}
