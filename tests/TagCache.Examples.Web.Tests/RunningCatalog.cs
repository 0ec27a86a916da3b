using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TagCache.Examples.Web.Tests;

/// <summary>The catalog app listening on 127.0.0.1 on a port the OS picks, with a client for it.</summary>
internal sealed class RunningCatalog : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private RunningCatalog(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = Guard };
    }

    public HttpClient Client { get; }

    public static async Task<RunningCatalog> StartAsync(params string[] settings)
    {
        var app = CatalogApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. settings]);
        await app.StartAsync().WaitAsync(Guard);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RunningCatalog(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Stops the app, which flushes whatever it exports; idempotent.</summary>
    public Task StopAsync() => _app.StopAsync().WaitAsync(Guard);
}
