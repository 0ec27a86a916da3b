namespace TagCache.Analyzers;

/// <summary>The names of the properties a diagnostic hands its code fix.</summary>
internal static class FixProperties
{
    /// <summary>The template as written.</summary>
    public const string Template = "template";

    /// <summary>The template with the misspelt name replaced by the nearest one.</summary>
    public const string Corrected = "corrected";
}
