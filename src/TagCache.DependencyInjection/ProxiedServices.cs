using TagCache.Interception.Checks;

namespace TagCache.DependencyInjection;

/// <summary>
/// The services <c>AddTagCaching</c> proxied in one service collection, kept for the check that needs the options (cache
/// names): Microsoft DI has no build step, so it runs when the caches are first resolved.
/// </summary>
internal sealed class ProxiedServices : List<ProxiedRegistration>;
