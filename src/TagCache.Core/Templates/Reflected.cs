namespace TagCache.Templates;

/// <summary>Why reading the members of types known only at run time is safe in a trimmed or Native AOT application.</summary>
internal static class Reflected
{
    /// <summary>
    /// The types TagCache plans by reflection (service interfaces, the types of their parameters and results and of those
    /// types' members, attributed implementations) are named as dynamic dependencies by the code TagCache's source
    /// generator writes, so trimming keeps what is read here.
    /// </summary>
    public const string KeptByGenerator =
        "TagCache's source generator names the service interfaces, their parameter and result types (and their members' types) and attributed implementations as dynamic dependencies, so trimming keeps the members read here.";
}
