using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace TagCache.Analyzers.Tests;

/// <summary>TC1009: a cached method that reads injected per-request state (a tenant, a user) that nothing says its keys vary by.</summary>
[TestClass]
public sealed class ScopeAnalyzerTests
{
    private const string Service = """
        using System; using TagCache;
        public sealed class TenantContext { public string Id { get; set; } = ""; }
        public interface IInvoices
        {
            [CacheWithTags("Invoices")]
            int Count();

            [CacheWithTags("Totals")]
            int Total(string tenant);
        }

        public sealed class Invoices(TenantContext tenant) : IInvoices
        {
            public int Count() => {|#0:tenant|}.Id.Length;

            public int Total(string tenant) => tenant.Length;
        }

        """;

    [TestMethod]
    public Task ReadsTenantWithoutVaryBy_TC1009() => Verify(
        Service,
        new DiagnosticResult(new ScopeAnalyzer().SupportedDiagnostics[0]).WithLocation(0).WithArguments("Invoices.Count", "TenantContext", "TenantContext"));

    [TestMethod]
    public Task RepositoriesNamedAfterTenants_Silent() => Verify("""
        using TagCache;
        public interface ITenantRepository { int Count(int id); }
        public interface IInvoices
        {
            [CacheWithTags("Invoices_{id}")]
            int Count(int id);
        }

        public sealed class Invoices(ITenantRepository tenants) : IInvoices
        {
            public int Count(int id) => tenants.Count(id);
        }
        """);

    [TestMethod]
    public Task VaryByTheTenant_Silent() => Verify(Service.Replace("{|#0:tenant|}", "tenant", StringComparison.Ordinal) + """
        public static class Registration
        {
            public static void Declare(TagCacheScopeOptions scope) => scope.VaryBy((TenantContext t) => t.Id);
        }
        """);

    private static async Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<ScopeAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        UserProject.AddReferences(test.TestState.AdditionalReferences);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
