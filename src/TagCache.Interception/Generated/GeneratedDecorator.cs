using System.Reflection;

namespace TagCache.Interception.Generated;

/// <summary>A generated decorator as a container adapter uses it, whatever its service type.</summary>
internal abstract class GeneratedDecorator
{
    private MethodInfo[]? _methods;

    /// <summary>Gets the interface methods the decorator routes through TagCache, in its context's order.</summary>
    public MethodInfo[] Methods => _methods ??= ReadMethods();

    /// <summary>Wraps <paramref name="target"/>.</summary>
    public abstract object Create(object target, DecoratorContext context);

    protected abstract MethodInfo[] ReadMethods();
}

internal sealed class GeneratedDecorator<TService>(Func<TService, DecoratorContext, TService> create, Func<MethodInfo[]> methods) : GeneratedDecorator
    where TService : class
{
    public override object Create(object target, DecoratorContext context) => create((TService)target, context);

    protected override MethodInfo[] ReadMethods() => methods();
}
