using Microsoft.Extensions.DependencyInjection;
using TagCache.Interception.Checks;

namespace TagCache.DependencyInjection;

/// <summary>
/// The services <c>AddTagCaching</c> proxied in one service collection, and the collection itself, kept for the check that
/// needs the options and every registration: Microsoft DI has no build step, so it runs when the caches are first resolved
/// (and when the host starts).
/// </summary>
/// <param name="services">The collection, read (never changed) by that check, once it is complete.</param>
internal sealed class ProxiedServices(IServiceCollection services) : List<ProxiedRegistration>
{
    public IServiceCollection Services => services;
}
