using Autofac.Core;
using Autofac.Core.Activators.ProvidedInstance;
using Autofac.Core.Activators.Reflection;
using Autofac.Core.Lifetime;
using TagCache.Interception.Checks;

namespace TagCache.AutofacIntegration;

/// <summary>What an Autofac container can tell the build-time checks about its registrations.</summary>
internal sealed class AutofacFacts(IComponentRegistry registry) : IContainerFacts
{
    // Autofac's ASP.NET integration tags each request's lifetime scope with this.
    private const string RequestTag = "AutofacWebRequest";

    public IEnumerable<RegistrationFacts> Registrations => registry.Registrations.Select(Describe);

    public RegistrationFacts? Find(Type service) =>
        registry.TryGetRegistration(new TypedService(service), out var registration) ? Describe(registration) : null;

    public static Lifetime LifetimeOf(IComponentLifetime lifetime, InstanceSharing sharing) => (lifetime, sharing) switch
    {
        (RootScopeLifetime, InstanceSharing.Shared) => new Lifetime(LifetimeKind.Singleton, "SingleInstance"),
        (CurrentScopeLifetime, InstanceSharing.Shared) => new Lifetime(LifetimeKind.Scoped, "InstancePerLifetimeScope"),
        (MatchingScopeLifetime matching, InstanceSharing.Shared) => new Lifetime(
            LifetimeKind.Scoped,
            matching.TagsToMatch.Contains(RequestTag) ? "InstancePerRequest" : "InstancePerMatchingLifetimeScope"),
        (_, InstanceSharing.Shared) => new Lifetime(LifetimeKind.Scoped, "shared within a lifetime scope"),
        _ => new Lifetime(LifetimeKind.Transient, "InstancePerDependency"),
    };

    private static RegistrationFacts Describe(IComponentRegistration registration) => new(
        [.. registration.Services.OfType<IServiceWithType>().Select(s => s.ServiceType).Distinct()],
        registration.Activator switch
        {
            ReflectionActivator reflection => reflection.LimitType,
            ProvidedInstanceActivator instance => instance.LimitType,
            _ => null,
        },
        LifetimeOf(registration.Lifetime, registration.Sharing),
        registration.Metadata.ContainsKey(Autofac.TagCacheRegistrationExtensions.ProxiedMetadataKey));
}
