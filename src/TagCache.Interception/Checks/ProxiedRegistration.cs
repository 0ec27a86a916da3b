namespace TagCache.Interception.Checks;

/// <summary>What a container knows, before any instance exists, about one registration whose services TagCache proxies.</summary>
/// <param name="Name">The registration as a person would name it, for messages.</param>
/// <param name="Services">The services it is exposed as (interfaces, normally).</param>
/// <param name="ImplementationType">The implementation type, when the registration says it (not for a factory delegate).</param>
internal sealed record ProxiedRegistration(string Name, IReadOnlyList<Type> Services, Type? ImplementationType)
{
    /// <summary>Gets a value indicating whether the registration is an open generic, checked for what does not depend on type arguments.</summary>
    public bool IsOpenGeneric => ImplementationType is { ContainsGenericParameters: true } || Services.Any(s => s.ContainsGenericParameters);
}
