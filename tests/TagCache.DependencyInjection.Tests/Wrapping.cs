using System.Reflection;
using Castle.DynamicProxy;

namespace TagCache.DependencyInjection.Tests;

/// <summary>What AddTagCaching wrapped a service in: a generated decorator (the default here) or a Castle proxy.</summary>
internal static class Wrapping
{
    public static bool IsGeneratedDecorator(object? service) =>
        service?.GetType().Namespace == "TagCache.Generated" && service.GetType().Name.EndsWith("_TagCacheDecorator", StringComparison.Ordinal);

    public static bool IsWrapped(object? service) => service is not null && (IsGeneratedDecorator(service) || ProxyUtil.IsProxy(service));

    /// <summary>The instance the registration made, inside its decorator or proxy.</summary>
    public static object? Unwrap(object service) =>
        IsGeneratedDecorator(service)
            ? service.GetType().GetField("_target", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(service)
            : ProxyUtil.GetUnproxiedInstance(service);
}
