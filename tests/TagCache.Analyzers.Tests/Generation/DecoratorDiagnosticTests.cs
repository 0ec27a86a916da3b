using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using TagCache.Analyzers.Generation;

namespace TagCache.Analyzers.Tests.Generation;

/// <summary>The generator's diagnostic, placed exactly, through the source generator test framework.</summary>
[TestClass]
public sealed class DecoratorDiagnosticTests
{
    [TestMethod]
    public async Task Generate_GenericMethodOnRegisteredService_TC1010AtTheRegistration()
    {
        var test = new CSharpSourceGeneratorTest<DecoratorGenerator, DefaultVerifier>
        {
            TestCode = """
                using Microsoft.Extensions.DependencyInjection;
                using TagCache;

                namespace UserCode;

                public interface IConverter
                {
                    [CacheWithTags("Rate")]
                    decimal Rate();

                    T Convert<T>(decimal amount);
                }

                public static class Registration
                {
                    public static IServiceCollection Register(IServiceCollection services) => {|#0:services.AddTagCaching<IConverter>()|};
                }
                """,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        UserProject.AddReferences(test.TestState.AdditionalReferences);
        foreach (var name in new[] { "TagCache.Interception.dll", "TagCache.DependencyInjection.dll", "Microsoft.Extensions.DependencyInjection.Abstractions.dll" })
        {
            test.TestState.AdditionalReferences.Add(Path.Combine(AppContext.BaseDirectory, name));
        }

        test.ExpectedDiagnostics.Add(new DiagnosticResult(Diagnostics.NoDecorator).WithLocation(0).WithArguments("UserCode.IConverter", "IConverter.Convert is generic"));
        await test.RunAsync();
    }
}
