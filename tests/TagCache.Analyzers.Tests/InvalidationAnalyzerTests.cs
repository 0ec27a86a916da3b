using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace TagCache.Analyzers.Tests;

/// <summary>TC1008: an [InvalidateTags] template that no cached tag of its cache can produce, by the build-time check's own comparison.</summary>
[TestClass]
public sealed class InvalidationAnalyzerTests
{
    private const string Usings = "using System; using TagCache;\n";

    [TestMethod]
    public Task MatchingTemplates_NoDiagnostic() => Verify("""
        public interface IProducts
        {
            [CacheWithTags("Product_{id}", "Catalog")]
            int Get(int id);

            [CacheWithTags("Category_{id}", Cache = "listings")]
            int List(int id);

            [InvalidateTags("Product_{id}", "Catalog")]
            [InvalidateTags("Category_{categoryId}", Cache = "listings")]
            void Save(int id, int categoryId);
        }
        """);

    [TestMethod]
    public Task Misspelt_TC1008_NamesTheNearestShape() => Verify(
        """
        public interface IProducts
        {
            [CacheWithTags("Product_{id}")]
            int Get(int id);

            [{|#0:InvalidateTags("Products_{id}")|}]
            void Save(int id);
        }
        """,
        Expect(0, "Products_{id}", "IProducts.Save", "default", "did you mean Product_{...}?"));

    [TestMethod]
    public Task OtherCache_TC1008_NamesTheCacheToSet() => Verify(
        """
        public interface IProducts
        {
            [CacheWithTags("Category_{id}", Cache = "listings")]
            int List(int id);

            [{|#0:InvalidateTags("Category_{id}")|}]
            void Touch(int id);
        }
        """,
        Expect(0, "Category_{id}", "IProducts.Touch", "default", "did you mean cache 'listings', where Category_{...} is cached? Then set Cache = \"listings\""));

    [TestMethod]
    public Task DeclareTagsInTheProject_Silent() => Verify("""
        public interface IProducts
        {
            [InvalidateTags("Runtime_{id}")]
            void Touch(int id);
        }

        public static class Setup
        {
            public static void Configure(TagCacheOptions options) => options.DeclareTags(["Runtime_{id}"]);
        }
        """);

    private static DiagnosticResult Expect(int location, params object[] arguments) =>
        new DiagnosticResult(new InvalidationAnalyzer().SupportedDiagnostics[0]).WithLocation(location).WithArguments(arguments);

    private static async Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<InvalidationAnalyzer, DefaultVerifier>
        {
            TestCode = Usings + source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        UserProject.AddReferences(test.TestState.AdditionalReferences);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
