using System.Globalization;
using Microsoft.AspNetCore.Http;
using TagCache.Telemetry;
using TagCache.Templates;

namespace TagCache.AspNetCore.Pages;

/// <summary>
/// An endpoint's caching, compiled once: its tag templates bound to route values and named query values, its timeout, the
/// headers its responses vary by, and the call site its requests are counted under.
/// </summary>
internal sealed class PagePlan(SiteTelemetry site, IReadOnlyList<CompiledTemplate> tags, IReadOnlyList<PageValue> values, TimeSpan? timeout, string[] varyByHeaderNames)
{
    public SiteTelemetry Site { get; } = site;

    public TimeSpan? Timeout { get; } = timeout;

    public string[] VaryByHeaderNames { get; } = varyByHeaderNames;

    public string[] FormatTags(HttpRequest request)
    {
        if (tags.Count == 0)
        {
            return [];
        }

        var arguments = new object?[values.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = values[i].Read(request);
        }

        var formatted = new string[tags.Count];
        for (var i = 0; i < formatted.Length; i++)
        {
            formatted[i] = tags[i].Format(arguments);
        }

        return formatted;
    }
}

/// <summary>A value a page template names: a route value, typed by its constraint, or a query value.</summary>
internal sealed class PageValue(string name, bool fromQuery, Type type)
{
    public string Name { get; } = name;

    public bool FromQuery { get; } = fromQuery;

    /// <summary>Gets the type the template formats: a constrained route value's type, so it matches service tags.</summary>
    public Type Type { get; } = type;

    /// <summary>Gets the type a route constraint guarantees, or string.</summary>
    public static Type TypeOf(IEnumerable<string?> constraints)
    {
        foreach (var constraint in constraints)
        {
            switch (constraint)
            {
                case "int": return typeof(int);
                case "long": return typeof(long);
                case "bool": return typeof(bool);
                case "guid": return typeof(Guid);
            }
        }

        return typeof(string);
    }

    public object? Read(HttpRequest request)
    {
        if (FromQuery)
        {
            var query = request.Query[Name];
            return query.Count == 0 ? null : query.ToString();
        }

        var raw = request.RouteValues.TryGetValue(Name, out var value) ? value : null;
        if (raw is null || Type.IsInstanceOfType(raw))
        {
            // A route value of the template's type already: text, or a default given as the constraint's type.
            return raw;
        }

        if (raw is not string text)
        {
            // A default of another type (a long for {id:int}, a number for a text value): formatted as the template expects,
            // or as null when it is not one.
            return Type == typeof(string) ? System.Convert.ToString(raw, CultureInfo.InvariantCulture) : ConvertToType(raw);
        }

        // The constraint matched, so the text parses; one that does not (a route value set by hand) formats as null.
        return Type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
            : Type == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
            : Type == typeof(bool) && bool.TryParse(text, out var b) ? b
            : Type == typeof(Guid) && Guid.TryParse(text, out var g) ? g
            : null;
    }

    private object? ConvertToType(object raw)
    {
        try
        {
            return raw is IConvertible ? System.Convert.ChangeType(raw, Type, CultureInfo.InvariantCulture) : null;
        }
        catch (Exception exception) when (exception is InvalidCastException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
