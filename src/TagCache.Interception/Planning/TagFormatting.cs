using TagCache.Templates;

namespace TagCache.Interception.Planning;

internal static class TagFormatting
{
    public static string[] Format(CompiledTemplate[] templates, object?[] arguments, object? result)
    {
        if (templates.Length == 0)
        {
            return [];
        }

        var tags = new string[templates.Length];
        for (var i = 0; i < templates.Length; i++)
        {
            tags[i] = templates[i].Format(arguments, result);
        }

        return tags;
    }
}
