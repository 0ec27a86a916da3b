using System.Collections.Concurrent;
using Castle.DynamicProxy;
using TagCache.Interception.Generated;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Proxies;

/// <summary>
/// What the proxies of one registration carry: the container's <see cref="TagCacheInterceptor"/> and the registration,
/// so every target the registration makes gets that registration's identity (and so its own entries).
/// <see cref="PlanSelector"/> replaces it, per method, by the interceptor bound to the method's plan.
/// </summary>
internal sealed class RegistrationInterceptor(TagCacheInterceptor owner, object registration, IReadOnlyList<object> serviceKeys, TagCacheScopeOptions? declared) : IInterceptor
{
    // Per target type: the context of the registration's generated decorators when nothing in it depends on the scope, so
    // a resolve makes only the decorator.
    private readonly ConcurrentDictionary<Type, DecoratorContext> _contexts = new();
    private readonly ConcurrentDictionary<Type, MethodPlan[]> _decoratorPlans = new();

    public TargetIdentity IdentityOf(Type targetType) => owner.Identities.For(registration, targetType, serviceKeys, declared);

    /// <summary>Gets a value indicating whether this registration's keys may vary by state of the caller's scope.</summary>
    public bool NeedsScope => owner.NeedsScope(declared);

    /// <summary>Plans every method of the services for this target type before its first proxy exists.</summary>
    public void Prepare(IEnumerable<Type> serviceTypes, Type targetType) => owner.Prepare(serviceTypes, IdentityOf(targetType));

    public MethodPlan PlanFor(System.Reflection.MethodInfo method, Type targetType) => owner.PlanFor(method, IdentityOf(targetType));

    /// <summary>
    /// What a generated decorator of a target of <paramref name="targetType"/> is made with: its methods planned (all of
    /// them, before the first decorator exists, so a misconfiguration fails at the first resolve as with a proxy) and, when
    /// the registration's keys vary by scope, the scope the instance was resolved in.
    /// </summary>
    /// <param name="decorator">The generated decorator.</param>
    /// <param name="targetType">The runtime type of the instance the registration made.</param>
    /// <param name="resolveFromScope">Resolves a service from the scope the instance was resolved in.</param>
    /// <param name="ownsTarget">Whether the container created the instance, so disposing the decorator disposes it.</param>
    /// <exception cref="TagCacheConfigurationException">Some methods are misconfigured; every problem is listed.</exception>
    public DecoratorContext ContextFor(GeneratedDecorator decorator, Type targetType, Func<Type, object> resolveFromScope, bool ownsTarget)
    {
        if (NeedsScope)
        {
            return new DecoratorContext(Plans(decorator, targetType), new ProxyScope(resolveFromScope), ownsTarget);
        }

        return _contexts.TryGetValue(targetType, out var shared)
            ? shared
            : _contexts.GetOrAdd(targetType, type => new DecoratorContext(Plans(decorator, type), scope: null, ownsTarget));
    }

    private MethodPlan[] Plans(GeneratedDecorator decorator, Type targetType) =>
        _decoratorPlans.TryGetValue(targetType, out var plans) ? plans : _decoratorPlans.GetOrAdd(targetType, type =>
        {
            var identity = IdentityOf(type);
            owner.Prepare(decorator.Methods, identity);
            return [.. decorator.Methods.Select(method => owner.PlanFor(method, identity))];
        });

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
