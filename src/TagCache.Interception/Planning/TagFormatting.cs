using TagCache.Templates;

namespace TagCache.Interception.Planning;

internal static class TagFormatting
{
    /// <summary>Formats a method's tag templates for one call.</summary>
    /// <exception cref="ArgumentException">A template formatted to an empty tag (e.g. <c>{name}</c> with an empty string).</exception>
    public static string[] Format(CompiledTemplate[] templates, object?[] arguments, object? result, string method)
    {
        if (templates.Length == 0)
        {
            return [];
        }

        var tags = new string[templates.Length];
        for (var i = 0; i < templates.Length; i++)
        {
            var tag = templates[i].Format(arguments, result);
            tags[i] = tag.Length > 0 ? tag : throw new ArgumentException(
                $"{method}: the tag template '{templates[i].Text}' formatted to an empty tag for this call, and a tag must not be null or empty. " +
                "Give the template literal text around the value, e.g. 'Name_{name}'.",
                nameof(arguments));
        }

        return tags;
    }
}
