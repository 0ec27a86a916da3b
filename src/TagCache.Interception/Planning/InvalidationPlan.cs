using TagCache.Stores;
using TagCache.Telemetry;
using TagCache.Templates;

namespace TagCache.Interception.Planning;

/// <summary>The tags one <see cref="InvalidateTagsAttribute"/> bumps in one cache, compiled once.</summary>
internal sealed class InvalidationPlan(ITagCache cache, CompiledTemplate[] tags, string method)
{
    public void Invalidate(object?[] arguments, object? result) =>
        cache.InvalidateTags(FormatTags(arguments, result), InvalidationOrigin.Method);

    public ValueTask InvalidateAsync(object?[] arguments, object? result) =>
        cache.InvalidateTagsAsync(FormatTags(arguments, result), InvalidationOrigin.Method);

    private string[] FormatTags(object?[] arguments, object? result) => TagFormatting.Format(tags, arguments, result, method);
}
