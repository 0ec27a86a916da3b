using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace TagCache.Analyzers.Tests;

/// <summary>What a small user project compiles against: the running runtime's assemblies and TagCache.Core, nothing downloaded.</summary>
internal static class UserProject
{
    public static void AddReferences(MetadataReferenceCollection references)
    {
        foreach (var path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            if (Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        references.Add(MetadataReference.CreateFromFile(typeof(CacheWithTagsAttribute).Assembly.Location));
    }
}
