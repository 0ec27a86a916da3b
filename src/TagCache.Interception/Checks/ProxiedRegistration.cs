namespace TagCache.Interception.Checks;

/// <summary>What a container knows, before any instance exists, about one registration whose services TagCache proxies.</summary>
/// <param name="Name">The registration as a person would name it, for messages.</param>
/// <param name="Services">The services it is exposed as (interfaces, normally).</param>
/// <param name="ImplementationType">The implementation type, when the registration says it (not for a factory delegate).</param>
internal sealed record ProxiedRegistration(string Name, IReadOnlyList<Type> Services, Type? ImplementationType)
{
    /// <summary>Gets a value indicating whether the registration is an open generic, checked for what does not depend on type arguments.</summary>
    public bool IsOpenGeneric => ImplementationType is { ContainsGenericParameters: true } || Services.Any(s => s.ContainsGenericParameters);

    /// <summary>Gets how long its instances live, as the container says it; null when not known.</summary>
    public Lifetime? Lifetime { get; init; }

    /// <summary>Gets what the registration declared its entries vary by (or that they are shared); null when nothing.</summary>
    public TagCacheScopeOptions? Declared { get; init; }

    /// <summary>Gets how a message writes this registration's declaration, given the lambda: <c>.EnableTagCaching(scope =&gt; ...)</c>.</summary>
    public Func<string, string> Declaration { get; init; } = scope => $"EnableTagCaching({scope})";
}

/// <summary>A registration's lifetime as its container names it.</summary>
/// <param name="Kind">What it means for per-scope state.</param>
/// <param name="Text">The container's own word for it (<c>Scoped</c>, <c>InstancePerLifetimeScope</c>).</param>
internal sealed record Lifetime(LifetimeKind Kind, string Text);

/// <summary>How a registration's instances relate to scopes.</summary>
internal enum LifetimeKind
{
    /// <summary>One instance for the container: it cannot hold one scope's state (it is resolved from the root).</summary>
    Singleton,

    /// <summary>One instance per scope: it can hold the scope's state.</summary>
    Scoped,

    /// <summary>A new instance per resolve: it holds the state of whatever it depends on.</summary>
    Transient,
}
