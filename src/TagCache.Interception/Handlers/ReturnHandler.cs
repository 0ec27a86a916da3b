using Castle.DynamicProxy;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>Intercepts calls of one return type; a generic subclass per result type keeps the call path free of reflection.</summary>
internal abstract class ReturnHandler
{
    /// <summary>A call through a Castle proxy.</summary>
    /// <param name="invocation">The call.</param>
    /// <param name="plan">The method's plan.</param>
    /// <param name="scope">The scope the proxy was resolved in, when its keys may vary by that scope's state.</param>
    public abstract void Intercept(IInvocation invocation, MethodPlan plan, ProxyScope? scope);
}

/// <summary>The handler of methods returning <typeparamref name="TReturn"/>: Castle's calls and generated decorators' run the same <see cref="Call"/>.</summary>
/// <typeparam name="TReturn">The method's return type (<see cref="object"/> for <see langword="void"/>).</typeparam>
internal abstract class ReturnHandler<TReturn> : ReturnHandler
{
    // Set before Intercept returns (Castle's rule): Call never awaits.
    public sealed override void Intercept(IInvocation invocation, MethodPlan plan, ProxyScope? scope) =>
        invocation.ReturnValue = Call(new TargetCall(invocation), plan, scope);

    /// <summary>Runs the method's plan for one call and returns what the caller receives.</summary>
    /// <param name="call">The call.</param>
    /// <param name="plan">The method's plan.</param>
    /// <param name="scope">The scope the proxy was resolved in, when its keys may vary by that scope's state.</param>
    public abstract TReturn Call(in TargetCall call, MethodPlan plan, ProxyScope? scope);
}
