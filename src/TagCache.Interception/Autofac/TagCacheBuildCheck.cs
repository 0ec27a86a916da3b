using Autofac;
using Autofac.Core;
using TagCache.Interception.Planning;

namespace TagCache.Interception;

/// <summary>Plans every method of every proxied service while the container is built, and reports all problems at once.</summary>
internal static class TagCacheBuildCheck
{
    public static void Run(ILifetimeScope container)
    {
        // Checked before anything builds the caches, so the error is ours rather than a wrapped activation failure.
        EventRuleCheck.ThrowIfInvalid(container.Resolve<TagCacheOptions>());
        var interceptor = container.Resolve<TagCacheInterceptor>();
        var problems = new List<PlanProblem>();
        foreach (var registration in container.ComponentRegistry.Registrations)
        {
            if (!registration.Metadata.ContainsKey(TagCacheRegistrationExtensions.EnabledMetadataKey))
            {
                continue;
            }

            var implementation = registration.Activator.LimitType;
            foreach (var service in registration.Services.OfType<IServiceWithType>().Select(s => s.ServiceType).Distinct())
            {
                if (!service.IsInterface)
                {
                    problems.Add(new PlanProblem(
                        implementation.Name,
                        $"EnableTagCaching() proxies interfaces, but the registration also exposes the class {service.Name}, which the proxy cannot stand in for. " +
                        "Expose it only through its interfaces, e.g. .As<IMyService>() instead of .AsSelf()."));
                    continue;
                }

                problems.AddRange(interceptor.Prepare(service, implementation));
            }
        }

        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException([.. problems.Select(p => p.ToString())]);
        }
    }
}
