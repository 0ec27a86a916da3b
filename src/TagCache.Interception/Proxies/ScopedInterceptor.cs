using Castle.DynamicProxy;
using TagCache.Scopes;

namespace TagCache.Interception.Proxies;

/// <summary>
/// What the proxy of one instance carries when its keys vary by state of its scope: the registration's interceptor and
/// the scope that resolved the instance. <see cref="PlanSelector"/> binds the scope into each method's interceptor.
/// </summary>
internal sealed class ScopedInterceptor(RegistrationInterceptor registration, ProxyScope scope) : IInterceptor
{
    public RegistrationInterceptor Registration => registration;

    public ProxyScope Scope => scope;

    public void Intercept(IInvocation invocation)
    {
        var plan = registration.PlanFor(invocation.Method, invocation.TargetType ?? invocation.Method.DeclaringType!);
        if (plan.Handler is { } handler)
        {
            handler.Intercept(invocation, plan, scope);
        }
        else
        {
            invocation.Proceed();
        }
    }
}
