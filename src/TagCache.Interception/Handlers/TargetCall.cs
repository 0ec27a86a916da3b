using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>
/// One call of a service method as the handlers see it, whichever proxy made it: a Castle invocation, or a generated
/// decorator's arguments with the direct call of its target. A struct over either, so neither path allocates for it and
/// both run the same handler code.
/// </summary>
internal readonly struct TargetCall
{
    // Three fields, as small as a per-miss object can hold it: the Castle invocation or the decorator's target; Castle's
    // captured proceed (or nothing) or the decorator's direct call; the arguments.
    private readonly object _source;
    private readonly object? _how;
    private readonly object?[] _arguments;

    /// <summary>A call through a Castle proxy.</summary>
    public TargetCall(IInvocation invocation)
        : this(invocation, proceed: null)
    {
    }

    /// <summary>A call through a generated decorator.</summary>
    /// <param name="target">The implementation.</param>
    /// <param name="arguments">The call's arguments, owned by this call.</param>
    /// <param name="direct">Calls the method on the target with the arguments, returning its result (null for void).</param>
    public TargetCall(object target, object?[] arguments, Func<object, object?[], object?> direct)
    {
        _source = target;
        _arguments = arguments;
        _how = direct;
    }

    private TargetCall(IInvocation invocation, IInvocationProceedInfo? proceed)
    {
        _source = invocation;
        _how = proceed;
        _arguments = invocation.Arguments;
    }

    public object?[] Arguments => _arguments;

    /// <summary>Gets the Castle invocation; null for a generated decorator's call.</summary>
    private IInvocation? Invocation => _how is Func<object, object?[], object?> ? null : (IInvocation)_source;

    /// <summary>
    /// This call, able to run its target after the intercepted call has returned (after waiting for another flight), when
    /// Castle's <c>Proceed</c> no longer works on its own.
    /// </summary>
    public TargetCall Captured() => Invocation is { } invocation ? new TargetCall(invocation, invocation.CaptureProceedInfo()) : this;

    /// <summary>Runs the target with the call's arguments and returns what it returned (null for void).</summary>
    public object? Proceed()
    {
        if (_how is Func<object, object?[], object?> direct)
        {
            return direct(_source, _arguments);
        }

        var invocation = (IInvocation)_source;
        if (_how is IInvocationProceedInfo proceed)
        {
            proceed.Invoke();
        }
        else
        {
            invocation.Proceed();
        }

        return invocation.ReturnValue;
    }

    /// <summary>Replaces an argument before the target runs (the flight's token for the caller's).</summary>
    public void SetArgument(int index, object? value)
    {
        if (Invocation is { } invocation)
        {
            invocation.SetArgumentValue(index, value);
        }
        else
        {
            _arguments[index] = value;
        }
    }

    /// <summary>A call of the target with a copy of its arguments, taken now; the flight's token replaces the caller's.</summary>
    public Func<CancellationToken, object?> Detached(TargetInvoker invoker)
    {
        if (Invocation is { } invocation)
        {
            return invoker.Bind(invocation);
        }

        var target = _source;
        var direct = (Func<object, object?[], object?>)_how!;
        var arguments = (object?[])_arguments.Clone();
        return invoker.Bind(arguments, arguments => direct(target, arguments));
    }
}
