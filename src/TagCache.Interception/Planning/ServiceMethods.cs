using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace TagCache.Interception.Planning;

internal static class ServiceMethods
{
    /// <summary>Every method a proxy of <paramref name="serviceTypes"/> implements: theirs and those of the interfaces they extend.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    public static IEnumerable<MethodInfo> Of(IEnumerable<Type> serviceTypes) =>
        serviceTypes
            .SelectMany(s => s.GetInterfaces().Prepend(s))
            .Distinct()
            .SelectMany(contract => contract.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance));
}
