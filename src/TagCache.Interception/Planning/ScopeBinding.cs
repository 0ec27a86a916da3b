using TagCache.Scopes;

namespace TagCache.Interception.Planning;

/// <summary>Reads a method's scope values from the proxy's scope; a proxy made without one cannot vary, so the call fails.</summary>
internal static class ScopeBinding
{
    /// <exception cref="InvalidOperationException">The call came through a proxy that carries no scope (your own Castle setup).</exception>
    public static ScopeSnapshot Current(ProxyScope? scope, ScopeRule rule, string method) =>
        scope?.Current(rule) ?? throw new InvalidOperationException(
            $"{method}: its keys vary by {rule}, read from the caller's scope, but this call came through a proxy that carries no scope " +
            "(a TagCacheInterceptor in a Castle setup of your own). Resolve the service from a container set up with EnableTagCaching() or " +
            "AddTagCaching<T>(), which give each proxy its scope; nothing was cached for this call.");
}
