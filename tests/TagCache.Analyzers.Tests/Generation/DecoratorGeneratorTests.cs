using Microsoft.CodeAnalysis;

namespace TagCache.Analyzers.Tests.Generation;

[TestClass]
public sealed class DecoratorGeneratorTests
{
    private const string Registration = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using TagCache;
        using TagCache.Interception.Generated;

        namespace UserCode;

        public sealed record Product(int Id, string Name);

        public interface INamed
        {
            string Name { get; }

            [CacheWithTags("Name_{id}")]
            string NameOf(int id);
        }

        public interface ICatalog : INamed
        {
            [CacheWithTags("Product_{id}")]
            Product Get(int id);

            Product Get(string name);

            [CacheWithTags("Product_{id}")]
            Task<Product> GetAsync(int id, CancellationToken cancellationToken);

            [CacheWithTags("Product_{id}")]
            ValueTask<Product?> FindAsync(int id);

            [InvalidateTags("Product_{id}", "Name_{id}")]
            void Rename(int id, string @class);

            [InvalidateTags("Product_{id}")]
            Task RenameAsync(int id, string name);

            int this[int index] { get; }

            event EventHandler? Changed;
        }

        public sealed class Catalog : ICatalog
        {
            private readonly Dictionary<int, string> _names = new() { [1] = "Tea" };

            public int Reads { get; private set; }

            public string Name => "catalog";

            public int this[int index] => index * 2;

            public event EventHandler? Changed;

            public string NameOf(int id) { Reads++; return _names[id]; }

            public Product Get(int id) { Reads++; return new Product(id, _names[id]); }

            public Product Get(string name) => new Product(0, name);

            public Task<Product> GetAsync(int id, CancellationToken cancellationToken) { Reads++; return Task.FromResult(new Product(id, _names[id])); }

            public ValueTask<Product?> FindAsync(int id) { Reads++; return new ValueTask<Product?>(new Product(id, _names[id])); }

            public void Rename(int id, string @class) { _names[id] = @class; Changed?.Invoke(this, EventArgs.Empty); }

            public Task RenameAsync(int id, string name) { _names[id] = name; return Task.CompletedTask; }
        }

        public static class Program
        {
            public static string Run()
        {
                var target = new Catalog();
                var services = new ServiceCollection();
                services.AddTagCache();
                services.AddSingleton<ICatalog>(target);
                services.AddTagCaching<ICatalog>();
                using var provider = services.BuildServiceProvider();
                var catalog = provider.GetRequiredService<ICatalog>();
                var events = 0;
                catalog.Changed += (_, _) => events++;

                var first = catalog.Get(1);
                var hit = ReferenceEquals(first, catalog.Get(1));
                var asyncHit = ReferenceEquals(catalog.GetAsync(1, CancellationToken.None).Result, catalog.GetAsync(1, CancellationToken.None).Result);
                catalog.FindAsync(1).AsTask().Wait();
                catalog.FindAsync(1).AsTask().Wait();
                var name = catalog.NameOf(1) + catalog.NameOf(1);
                var readsBefore = target.Reads;
                catalog.Rename(1, "Sencha");
                var renamed = catalog.Get(1).Name + "/" + catalog.NameOf(1);
                catalog.RenameAsync(1, "Matcha").Wait();
                var renamedAsync = catalog.Get(1).Name;
                return string.Join(";",
                    catalog.GetType().Name, hit, asyncHit, name, readsBefore, renamed, renamedAsync, target.Reads,
                    catalog.Get("x").Name, catalog[21], catalog.Name, events);
            }
        }
        """;

    [TestMethod]
    public void Generate_ServiceRegisteredWithAddTagCaching_DecoratorCompilesAndRunsThePipeline()
    {
        var project = GeneratedProject.Compile(Registration);

        Assert.IsEmpty(project.GeneratorDiagnostics);
        Assert.IsEmpty(project.CompilerProblems(), string.Join(Environment.NewLine, project.CompilerProblems()));
        CollectionAssert.Contains(project.GeneratedFiles.ToList(), "UserCode_ICatalog_TagCacheDecorator.g.cs");

        var result = (string)project.RunProgram()!;

        // Hits on every shape, invalidation by both attributes, forwarding of overloads, indexers, properties and events.
        Assert.AreEqual("UserCode_ICatalog_TagCacheDecorator;True;True;TeaTea;4;Sencha/Sencha;Matcha;7;x;42;catalog;1", result);
    }

    [TestMethod]
    public void Generate_MethodWithRefParameter_ReportsTC1010AndWritesNoDecorator()
    {
        var project = GeneratedProject.Compile("""
            using Microsoft.Extensions.DependencyInjection;
            using TagCache;

            namespace UserCode;

            public interface ICounter
            {
                [CacheWithTags("Count")]
                int Count();

                void Add(ref int total);
            }

            public static class Registration
            {
                public static void Register(IServiceCollection services) => services.AddTagCaching<ICounter>();
            }
            """);

        var diagnostic = project.GeneratorDiagnostics.Single();
        Assert.AreEqual("TC1010", diagnostic.Id);
        StringAssert.Contains(diagnostic.GetMessage(), "ICounter.Add has a ref, out or in parameter");
        Assert.AreEqual(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.IsFalse(project.GeneratedFiles.Any(f => f.Contains("ICounter", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Generate_GenericServiceClosedAtRegistration_DecoratorImplementsTheClosedInterface()
    {
        var project = GeneratedProject.Compile("""
            using Microsoft.Extensions.DependencyInjection;
            using TagCache;

            namespace UserCode;

            public sealed record Order(int Id);

            public interface IRepository<T>
            {
                [CacheWithTags("Entity_{id}")]
                T Get(int id);
            }

            public sealed class Orders : IRepository<Order>
            {
                public int Reads;

                public Order Get(int id) { Reads++; return new Order(id); }
            }

            public static class Program
            {
                public static int Run()
                {
                    var orders = new Orders();
                    var services = new ServiceCollection();
                    services.AddTagCache();
                    services.AddSingleton<IRepository<Order>>(orders);
                    services.AddTagCaching<IRepository<Order>>();
                    using var provider = services.BuildServiceProvider();
                    var repository = provider.GetRequiredService<IRepository<Order>>();
                    repository.Get(1);
                    repository.Get(1);
                    return orders.Reads;
                }
            }
            """);

        Assert.IsEmpty(project.CompilerProblems(), string.Join(Environment.NewLine, project.CompilerProblems()));
        CollectionAssert.Contains(project.GeneratedFiles.ToList(), "UserCode_IRepository_UserCode_Order__TagCacheDecorator.g.cs");
        Assert.AreEqual(1, project.RunProgram());
    }

    [TestMethod]
    public void Generate_AttributedImplementation_NamesItsMethodsAsDynamicDependencies()
    {
        var project = GeneratedProject.Compile("""
            using TagCache;

            namespace UserCode;

            public interface IPrices
            {
                decimal Price(int id);
            }

            public sealed class Prices : IPrices
            {
                [CacheWithTags("Price_{id}")]
                public decimal Price(int id) => id;
            }
            """);

        var roots = project.Run.GeneratedSources.Single(s => s.HintName == "TagCacheReflectionRoots.g.cs").SourceText.ToString();
        StringAssert.Contains(roots, "typeof(global::UserCode.Prices)");
        Assert.IsEmpty(project.CompilerProblems(), string.Join(Environment.NewLine, project.CompilerProblems()));
    }

    [TestMethod]
    public void Generate_ProjectWithoutTagCacheInterception_WritesNothing()
    {
        var project = GeneratedProject.Compile(
            """
            using TagCache;

            namespace UserCode;

            public sealed class Prices
            {
                [CacheWithTags("Price_{id}")]
                public decimal Price(int id) => id;
            }
            """,
            withDependencyInjection: false);

        Assert.IsEmpty(project.GeneratedFiles);
        Assert.IsEmpty(project.GeneratorDiagnostics);
    }
}
