using Microsoft.Extensions.DependencyInjection;
using TagCache.Interception.Checks;

namespace TagCache.DependencyInjection;

/// <summary>What a service collection can tell the build-time checks about its registrations.</summary>
internal sealed class ServiceCollectionFacts(IServiceCollection services) : IContainerFacts
{
    public IEnumerable<RegistrationFacts> Registrations =>
        services.Select(d => new RegistrationFacts([d.ServiceType], TagCachingProxyFactory.TargetTypeOf(d), LifetimeOf(d.Lifetime), TagCachingProxyFactory.IsProxying(d)));

    public RegistrationFacts? Find(Type service)
    {
        // The last registration answers a resolve; an open generic one answers its closed forms.
        var open = service.IsGenericType ? service.GetGenericTypeDefinition() : null;
        var descriptor = services.LastOrDefault(d => !d.IsKeyedService && d.ServiceType == service)
            ?? (open is null ? null : services.LastOrDefault(d => !d.IsKeyedService && d.ServiceType == open));
        return descriptor is null ? null : new RegistrationFacts([descriptor.ServiceType], TagCachingProxyFactory.TargetTypeOf(descriptor), LifetimeOf(descriptor.Lifetime), TagCachingProxyFactory.IsProxying(descriptor));
    }

    public static Lifetime LifetimeOf(ServiceLifetime lifetime) => lifetime switch
    {
        ServiceLifetime.Singleton => new Lifetime(LifetimeKind.Singleton, "Singleton"),
        ServiceLifetime.Scoped => new Lifetime(LifetimeKind.Scoped, "Scoped"),
        _ => new Lifetime(LifetimeKind.Transient, "Transient"),
    };
}
