using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TagCache.Examples.Web.Tests;

/// <summary>
/// An OTLP/HTTP endpoint on 127.0.0.1 that keeps what it is sent, so a test can check what the app exported. Protobuf
/// carries names as UTF-8 bytes, so a name sent is found in the body's text.
/// </summary>
internal sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string Body)> _received = new();

    private FakeOtlpCollector(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = string.Empty;

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new FakeOtlpCollector(app);
        app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            collector._received.Enqueue((request.Path, Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        collector.Endpoint = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return collector;
    }

    public bool Received(string path, string text) => _received.Any(r => r.Path == path && r.Body.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
