using System.Reflection;
using Castle.DynamicProxy;

namespace TagCache.Testing;

/// <summary>An invocation without a proxy around it, so a test can measure what the interceptor alone allocates.</summary>
public sealed class StubInvocation(MethodInfo method, object target, object[] arguments) : IInvocation
{
    public object[] Arguments { get; } = arguments;

    public Type[] GenericArguments => Type.EmptyTypes;

    public object InvocationTarget => target;

    public MethodInfo Method => method;

    public MethodInfo MethodInvocationTarget => method;

    public object Proxy => target;

    public object? ReturnValue { get; set; }

    public Type TargetType => target.GetType();

    public IInvocationProceedInfo CaptureProceedInfo() => throw new NotSupportedException("Only hits are measured with this stub.");

    public object GetArgumentValue(int index) => Arguments[index];

    public MethodInfo GetConcreteMethod() => method;

    public MethodInfo GetConcreteMethodInvocationTarget() => method;

    public void Proceed() => ReturnValue = method.Invoke(target, Arguments);

    public void SetArgumentValue(int index, object? value) => Arguments[index] = value!;
}
