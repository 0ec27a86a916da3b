using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>Intercepts calls of one return type; a generic subclass per result type keeps the call path free of reflection.</summary>
internal abstract class ReturnHandler
{
    public abstract void Intercept(IInvocation invocation, MethodPlan plan);
}
