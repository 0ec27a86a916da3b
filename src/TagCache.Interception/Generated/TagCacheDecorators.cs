using System.ComponentModel;
using System.Reflection;

namespace TagCache.Interception.Generated;

/// <summary>
/// Where the decorators TagCache's source generator writes for a service interface are registered, so
/// <c>services.AddTagCaching&lt;TService&gt;()</c> uses them instead of a Castle proxy. For generated code only.
/// </summary>
/// <remarks>
/// Each closed service type has at most one decorator, registered by the generated module initializer of the assembly that
/// calls <c>AddTagCaching</c>, before any of that assembly's code runs. The registration maps a type to code, as a type's
/// metadata does; it holds nothing a container made, so nothing of one container outlives it here.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TagCacheDecorators
{
    /// <summary>Registers the generated decorator of <typeparamref name="TService"/>; the first registration of a type wins.</summary>
    /// <typeparam name="TService">The service interface.</typeparam>
    /// <param name="create">Makes the decorator of a target, with the plans of its methods.</param>
    /// <param name="methods">
    /// The interface methods the decorator routes through TagCache, in the order its <see cref="DecoratorContext"/> indexes
    /// them: every method it implements but those it only forwards.
    /// </param>
    public static void Register<TService>(Func<TService, DecoratorContext, TService> create, Func<MethodInfo[]> methods)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(methods);
        Interlocked.CompareExchange(ref Registered<TService>.Decorator, new GeneratedDecorator<TService>(create, methods), null);
    }

    /// <summary>Disposes the target of a decorator when its container created it (the decorator is what the container disposes).</summary>
    /// <param name="target">The decorated instance.</param>
    /// <param name="context">The decorator's context, which knows whether the container owns the target.</param>
    public static void Dispose(object target, DecoratorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.OwnsTarget && target is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose(object, DecoratorContext)"/>
    public static ValueTask DisposeAsync(object target, DecoratorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.OwnsTarget)
        {
            return ValueTask.CompletedTask;
        }

        if (target is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        (target as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The generated decorator of <typeparamref name="TService"/>, if its registering assembly has one.</summary>
    internal static GeneratedDecorator? Find<TService>()
        where TService : class => Registered<TService>.Decorator;

    private static class Registered<TService>
        where TService : class
    {
        public static GeneratedDecorator<TService>? Decorator;
    }
}
