using System.Linq.Expressions;
using System.Reflection;
using Castle.DynamicProxy;

namespace TagCache.Interception.Planning;

/// <summary>
/// Calls a method's implementation directly, for computations that run after (or beside) the intercepted call: a
/// background refresh, and a synchronous method's computation under timeouts, which runs on the thread pool so its caller
/// can stop waiting. Castle's <c>Proceed</c> is not for that: the invocation's state belongs to the call, which may be
/// returning on another thread at the same moment. Compiled once per method, on its first such call.
/// </summary>
/// <remarks>
/// Only TagCache's interceptor sits on TagCache's proxies, so the direct call is what <c>Proceed</c> would reach; with a
/// proxy of one's own, interceptors after TagCache's are not run for these computations.
/// </remarks>
internal sealed class TargetInvoker
{
    private readonly int _cancellationTokenIndex;
    private Func<object, object?[], object?>? _call;

    public TargetInvoker(int cancellationTokenIndex) => _cancellationTokenIndex = cancellationTokenIndex;

    /// <summary>A call of the invocation's method on its target with a copy of its arguments, taken now; the flight's token replaces the caller's.</summary>
    public Func<CancellationToken, object?> Bind(IInvocation invocation)
    {
        var call = _call ??= Compile(invocation.Method);
        var target = invocation.InvocationTarget ?? throw new InvalidOperationException($"{invocation.Method.Name} has no target to call: TagCache caches interface proxies with a target.");
        return Bind((object?[])invocation.Arguments.Clone(), arguments => call(target, arguments));
    }

    /// <summary>A call over <paramref name="arguments"/> (a copy the caller no longer changes); the flight's token replaces the caller's.</summary>
    public Func<CancellationToken, object?> Bind(object?[] arguments, Func<object?[], object?> call)
    {
        var tokenIndex = _cancellationTokenIndex;
        return token =>
        {
            if (tokenIndex >= 0)
            {
                arguments[tokenIndex] = token;
            }

            return call(arguments);
        };
    }

    private static Func<object, object?[], object?> Compile(MethodInfo method)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters();
        var call = Expression.Call(
            Expression.Convert(target, method.DeclaringType!),
            method,
            parameters.Select((p, i) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType)));
        return Expression.Lambda<Func<object, object?[], object?>>(Expression.Convert(call, typeof(object)), target, arguments).Compile();
    }
}
