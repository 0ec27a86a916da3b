using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TagCache.DependencyInjection;

/// <summary>
/// Makes the caches when the host starts, which runs the complete configuration check (services left without a proxy
/// among them): a host with a mistake does not start, rather than serving uncached or stale data until someone notices.
/// </summary>
internal sealed class TagCacheStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<TagCacheProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
