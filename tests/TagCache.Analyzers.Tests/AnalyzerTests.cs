using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using TagCache.Analyzers;

namespace TagCache.Analyzers.Tests;

/// <summary>
/// Each diagnostic on a small user project compiled against TagCache.Core and the analyzer: where it must appear (the
/// marked span, with its message), and that correct code stays silent.
/// </summary>
[TestClass]
public sealed class AnalyzerTests
{
    private const string Usings = "using System; using System.Collections.Generic; using System.Linq; using System.Threading.Tasks; using TagCache;\n";

    [TestMethod]
    public Task CorrectService_NoDiagnostic() => Verify("""
        public sealed record Product(int Id, string Name, int CategoryId);
        public interface IProducts
        {
            [CacheWithTags("Product_{id}", "Category_{result.CategoryId}", Key = "product:{id}")]
            Task<Product> Get(int id);

            [CacheWithTags("Category_{product.CategoryId}", Key = "similar:{product.Id}")]
            IReadOnlyList<Product> Similar(Product product);

            [InvalidateTags("Product_{id}")]
            Task Save(int id);
        }
        """);

    [TestMethod]
    [DataRow("void", "void")]
    [DataRow("Task", "System.Threading.Tasks.Task")]
    [DataRow("ValueTask", "System.Threading.Tasks.ValueTask")]
    public Task NoResult_TC1001(string returnType, string shown) => Verify(
        $$"""
        public interface IProducts
        {
            [{|#0:CacheWithTags("Product_{id}")|}]
            {{returnType}} Touch(int id);
        }
        """,
        Expect("TC1001", 0, "IProducts.Touch", shown));

    [TestMethod]
    public Task GenericAndRefOut_TC1002() => Verify(
        """
        public interface IProducts
        {
            [{|#0:CacheWithTags("Product_{id}")|}]
            T Get<T>(int id);

            [{|#1:CacheWithTags("Product_{id}")|}]
            int TryGet(int id, out int found);
        }
        """,
        Expect("TC1002", 0, "IProducts.Get", "is generic (its type arguments are not part of the key)"),
        Expect("TC1002", 1, "IProducts.TryGet", "takes 'found' by out (a cached result cannot set it)"));

    [TestMethod]
    public Task UnknownParameter_TC1003_SuggestsTheNearest() => Verify(
        """
        public interface IProducts
        {
            [{|#0:CacheWithTags("Product_{productId}")|}]
            int Get(int productld);
        }
        """,
        Expect("TC1003", 0, "Tag", "Product_{productId}", "IProducts.Get", "{productId} names no parameter of Get; did you mean {productld}?"));

    [TestMethod]
    public Task UnknownMember_TC1003_SuggestsTheNearest() => Verify(
        """
        public sealed class Product { public int CategoryId { get; set; } public string Name { get; set; } = ""; }
        public interface IProducts
        {
            [{|#0:CacheWithTags("Category_{product.CategryId}", Key = "count:{product.CategoryId}")|}]
            int Count(Product product);

            [{|#1:CacheWithTags("Name_{result.Nmae}")|}]
            Task<Product> Get(int id);
        }
        """,
        Expect("TC1003", 0, "Tag", "Category_{product.CategryId}", "IProducts.Count", "Product has no public property or field 'CategryId'; did you mean 'CategoryId'?"),
        Expect("TC1003", 1, "Tag", "Name_{result.Nmae}", "IProducts.Get", "Product has no public property or field 'Nmae'; did you mean 'Name'?"));

    [TestMethod]
    public Task ResultInKey_TC1004() => Verify(
        """
        public interface IProducts
        {
            [{|#0:CacheWithTags("Product_{id}", Key = "product:{result}")|}]
            int Get(int id);
        }
        """,
        Expect("TC1004", 0, "product:{result}", "IProducts.Get"));

    [TestMethod]
    public Task QueryAndStream_TC1005() => Verify(
        """
        public interface IProducts
        {
            [{|#0:CacheWithTags("Products")|}]
            IQueryable<int> Query();

            [{|#1:CacheWithTags("Products")|}]
            IAsyncEnumerable<int> Stream();
        }
        """,
        Expect("TC1005", 0, "IProducts.Query", "System.Linq.IQueryable<int>", "query"),
        Expect("TC1005", 1, "IProducts.Stream", "System.Collections.Generic.IAsyncEnumerable<int>", "stream"));

    [TestMethod]
    public Task CallOnThis_TC1006_ButNotThroughTheInterface() => Verify(
        """
        public interface IProducts
        {
            [CacheWithTags("Product_{id}")]
            int Get(int id);

            int Total(int id);
        }

        public sealed class Products(Lazy<IProducts> self) : IProducts
        {
            public int Get(int id) => id;

            public int Total(int id) => {|#0:Get(id)|} + {|#1:this.Get(id)|} + self.Value.Get(id);
        }
        """,
        Expect("TC1006", 0, "Products.Total", "Get", "IProducts"),
        Expect("TC1006", 1, "Products.Total", "Get", "IProducts"));

    [TestMethod]
    public Task UnstableText_TC1007_DefaultKeyAndPlaceholders() => Verify(
        """
        public sealed class Product { public int Id { get; set; } public Product? Parent { get; set; } }
        public interface IProducts
        {
            [{|#0:CacheWithTags("Product_{product.Id}")|}]
            int Stock(Product product);

            [{|#1:CacheWithTags("Parent_{product.Parent}", Key = "stock:{product.Id}")|}]
            int Parent(Product product);

            [CacheWithTags("Products_{ids}", "When_{when}")]
            int Many(int[] ids, IReadOnlyList<Guid> others, DateTimeOffset? when, DayOfWeek day, System.Threading.CancellationToken token);
        }
        """,
        Expect("TC1007", 0, "The default key", "IProducts.Stock", "parameter 'product'", "Product", "set a Key template naming stable members instead, e.g. Key = \"Stock_{product.Id}\""),
        Expect("TC1007", 1, "Tag template \"Parent_{product.Parent}\"", "IProducts.Parent", "{product.Parent}", "Product?", "name one of its stable members instead, e.g. {product.Parent.Id}"));

    [TestMethod]
    public Task EscapedBracesAndFormats_NotPlaceholders() => Verify(
        """
        public interface IProducts
        {
            [CacheWithTags("{{literal}}_{id:D4}_{when:yyyy}")]
            int Get(int id, DateTime when);
        }
        """);

    [TestMethod]
    public async Task UnknownMember_CodeFix_ReplacesItWithTheNearestName()
    {
        var test = new CSharpCodeFixTest<CacheWithTagsAnalyzer, TagCache.Analyzers.CodeFixes.TemplateFix, DefaultVerifier>
        {
            TestCode = Usings + """
                public sealed class Product { public int CategoryId { get; set; } }
                public interface IProducts
                {
                    [{|#0:CacheWithTags("Category_{product.CategryId}", "Product_{idd}", Key = "count:{id}")|}]
                    int Count(Product product, int id);
                }
                """,
            FixedCode = Usings + """
                public sealed class Product { public int CategoryId { get; set; } }
                public interface IProducts
                {
                    [CacheWithTags("Category_{product.CategoryId}", "Product_{id}", Key = "count:{id}")]
                    int Count(Product product, int id);
                }
                """,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        UserProject.AddReferences(test.TestState.AdditionalReferences);
        UserProject.AddReferences(test.FixedState.AdditionalReferences);
        test.ExpectedDiagnostics.Add(Expect("TC1003", 0, "Tag", "Category_{product.CategryId}", "IProducts.Count", "Product has no public property or field 'CategryId'; did you mean 'CategoryId'?"));
        test.ExpectedDiagnostics.Add(Expect("TC1003", 0, "Tag", "Product_{idd}", "IProducts.Count", "{idd} names no parameter of Count; did you mean {id}?"));
        await test.RunAsync();
    }

    private static DiagnosticResult Expect(string id, int location, params object[] arguments)
    {
        var descriptor = new CacheWithTagsAnalyzer().SupportedDiagnostics.Single(d => d.Id == id);
        return new DiagnosticResult(descriptor).WithLocation(location).WithArguments(arguments);
    }

    private static async Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<CacheWithTagsAnalyzer, DefaultVerifier>
        {
            TestCode = Usings + source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };

        // The running runtime's assemblies and TagCache.Core: a user project, without downloading reference packages.
        UserProject.AddReferences(test.TestState.AdditionalReferences);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
