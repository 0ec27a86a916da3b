using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TagCache.Analyzers.Generation;

namespace TagCache.Analyzers.Tests.Generation;

/// <summary>A small user project run through the decorator generator: compiled with what it generated, and loaded to run.</summary>
internal sealed class GeneratedProject
{
    private GeneratedProject(CSharpCompilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorRunResult run)
    {
        Output = output;
        GeneratorDiagnostics = generatorDiagnostics;
        Run = run;
    }

    public CSharpCompilation Output { get; }

    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    public GeneratorRunResult Run { get; }

    public IEnumerable<string> GeneratedFiles => Run.GeneratedSources.Select(s => s.HintName);

    /// <summary>Compiles <paramref name="source"/> against the runtime, TagCache and Microsoft DI, and runs the generator over it.</summary>
    public static GeneratedProject Compile(string source, bool withDependencyInjection = true)
    {
        var references = new List<MetadataReference>();
        foreach (var path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll")
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        foreach (var path in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileName(path);
            var wanted = name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || name == "Castle.Core.dll"
                || name == "TagCache.Core.dll" || (withDependencyInjection && name is "TagCache.Interception.dll" or "TagCache.DependencyInjection.dll");
            if (wanted)
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        var compilation = CSharpCompilation.Create(
            "UserProject" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "UserProject.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(new DecoratorGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratedProject((CSharpCompilation)output, diagnostics, driver.GetRunResult().Results.Single());
    }

    /// <summary>The errors and warnings of the compiled project, generated files included.</summary>
    public IReadOnlyList<Diagnostic> CompilerProblems() =>
        [.. Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>Emits the project, loads it beside the test's TagCache, and calls <c>Program.Run()</c>, returning what it returns.</summary>
    public object? RunProgram()
    {
        using var image = new MemoryStream();
        var emitted = Output.Emit(image);
        Assert.IsTrue(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext(Output.AssemblyName, isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(image);
            var program = assembly.GetType("UserCode.Program", throwOnError: true)!;
            return program.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null);
        }
        finally
        {
            context.Unload();
        }
    }
}
