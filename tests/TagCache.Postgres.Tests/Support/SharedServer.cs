using TagCache.Testing;

namespace TagCache.Postgres.Tests.Support;

/// <summary>The PostgreSQL server the tests that do not stop it share; each test still gets its own schema.</summary>
[TestClass]
[TestCategory("Server")]
public static class SharedServer
{
    private static PostgresServer? _server;

    public static PostgresServer Server => _server ?? throw new InvalidOperationException("The shared PostgreSQL server was not started.");

    [AssemblyInitialize]
    public static void Start(TestContext context) => _server = PostgresServer.Start();

    [AssemblyCleanup]
    public static void Stop() => _server?.Dispose();
}
