using TagCache.Templates;

namespace TagCache.Interception.Planning;

/// <summary>The tags one <see cref="InvalidateTagsAttribute"/> bumps in one cache, compiled once.</summary>
internal sealed class InvalidationPlan(ITagCache cache, CompiledTemplate[] tags, string method)
{
    public ITagCache Cache { get; } = cache;

    public string[] FormatTags(object?[] arguments, object? result) => TagFormatting.Format(tags, arguments, result, method);
}
