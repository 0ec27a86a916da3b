using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TagCache.AspNetCore.Pages;

/// <summary>
/// Checks every tag-cached endpoint when the app starts, right after its pipeline is built (endpoints are mapped after
/// the container is built, and registered with routing while the pipeline is built, so this is the earliest moment they
/// are all known): one <see cref="TagCacheConfigurationException"/> lists every bad template, unknown route value and
/// conflicting policy, and the app does not start.
/// </summary>
internal sealed class EndpointCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        var services = app.ApplicationServices;
        var problems = services.GetRequiredService<PagePlans>().CheckAll(services.GetRequiredService<EndpointDataSource>().Endpoints);
        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException(problems, PagePlans.Subject);
        }
    };
}
