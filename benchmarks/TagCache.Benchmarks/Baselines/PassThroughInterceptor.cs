using Castle.DynamicProxy;

namespace TagCache.Benchmarks.Baselines;

/// <summary>The proxy floor: what any Castle-based interceptor pays before doing anything.</summary>
public sealed class PassThroughInterceptor : IInterceptor
{
    public void Intercept(IInvocation invocation) => invocation.Proceed();
}
