using System.ComponentModel;
using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Generated;

/// <summary>
/// One method of a generated decorator, bound to its plan: a call runs the same pipeline as a Castle proxy's (keys, tags,
/// single flight, propagation, resilience, telemetry, invalidation), with the target called directly. For generated code only.
/// </summary>
/// <typeparam name="TReturn">The method's return type (<see cref="object"/> for <see langword="void"/>).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GeneratedMethod<TReturn>
{
    private readonly MethodPlan _plan;
    private readonly ReturnHandler<TReturn>? _handler;
    private readonly ProxyScope? _scope;

    internal GeneratedMethod(MethodPlan plan, ReturnHandler<TReturn>? handler, ProxyScope? scope)
    {
        _plan = plan;
        _handler = handler;
        _scope = scope;
    }

    /// <summary>Gets a value indicating whether calls go through TagCache; when not, the decorator calls its target itself.</summary>
    public bool IsIntercepted => _handler is not null;

    /// <summary>Runs one call through TagCache.</summary>
    /// <param name="target">The decorated instance.</param>
    /// <param name="arguments">The call's arguments, in parameter order; the call owns the array.</param>
    /// <param name="call">Calls the method on a target with arguments (a static lambda: it captures nothing), returning its result (null for void).</param>
    /// <returns>What the caller receives.</returns>
    public TReturn Invoke(object target, object?[] arguments, Func<object, object?[], object?> call) =>
        _handler is { } handler
            ? handler.Call(new TargetCall(target, arguments, call), _plan, _scope)
            : (TReturn)call(target, arguments)!;
}
