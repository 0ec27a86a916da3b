namespace TagCache.Interception.Checks;

/// <summary>
/// What a container can tell about its registrations before anything is resolved: the build-time checks of per-scope
/// state (which registrations are scoped, what a service depends on) and of services left without a proxy read it.
/// </summary>
internal interface IContainerFacts
{
    /// <summary>Gets every registration: the services it exposes, its implementation type if known, and whether TagCache proxies it.</summary>
    IEnumerable<RegistrationFacts> Registrations { get; }

    /// <summary>The registration that answers <paramref name="service"/>; null if none does.</summary>
    RegistrationFacts? Find(Type service);
}

/// <summary>One registration as the checks see it.</summary>
/// <param name="Services">The services it is exposed as.</param>
/// <param name="ImplementationType">The type it makes, when known.</param>
/// <param name="Lifetime">How long its instances live.</param>
/// <param name="Proxied">Whether TagCache proxies it.</param>
internal sealed record RegistrationFacts(IReadOnlyList<Type> Services, Type? ImplementationType, Lifetime Lifetime, bool Proxied);
