using Castle.DynamicProxy;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>Intercepts calls of one return type; a generic subclass per result type keeps the call path free of reflection.</summary>
internal abstract class ReturnHandler
{
    /// <param name="invocation">The call.</param>
    /// <param name="plan">The method's plan.</param>
    /// <param name="scope">The scope the proxy was resolved in, when its keys may vary by that scope's state.</param>
    public abstract void Intercept(IInvocation invocation, MethodPlan plan, ProxyScope? scope);
}
