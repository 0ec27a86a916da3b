namespace TagCache.Templates;

/// <summary>A template (or a default key) that cannot be compiled; the message says where, what and how to fix it.</summary>
internal sealed class TemplateException : Exception
{
    public TemplateException()
        : this(string.Empty, -1, "Invalid template.")
    {
    }

    public TemplateException(string message)
        : this(string.Empty, -1, message)
    {
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
        Template = string.Empty;
        Position = -1;
    }

    /// <param name="template">The template text (for a default key, its descriptive text).</param>
    /// <param name="position">0-based index into <paramref name="template"/>, or -1 when no single position applies.</param>
    /// <param name="message">The complete message; <see cref="Create"/> gives it the usual shape.</param>
    public TemplateException(string template, int position, string message)
        : base(message)
    {
        Template = template;
        Position = position;
    }

    public string Template { get; }

    public int Position { get; }

    /// <summary>Builds the message in the one shape every template error uses, so callers can rely on it.</summary>
    public static TemplateException Create(string template, int position, string problem, string fix)
    {
        var where = position >= 0 ? $"Template '{template}' at position {position}" : $"Template '{template}'";
        return new TemplateException(template, position, $"{where}: {problem}. {fix}");
    }
}
