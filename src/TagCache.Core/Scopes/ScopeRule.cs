using System.Text;
using TagCache.Templates;

namespace TagCache.Scopes;

/// <summary>
/// What the keys of a service (or of a cache) vary by, compiled once: the values, the text that names them, and how a
/// snapshot of them is written into keys and tags.
/// </summary>
/// <remarks>
/// A scope's text is <c>Names=values</c>, e.g. <c>Shop.TenantContext=acme</c>: names are escaped so the first unescaped
/// <c>=</c> ends them, values as in keys, so two different scopes never write the same text. A key in a scope is the key
/// followed by <see cref="KeyMark"/> and that text. In a key's text every '\' starts an escape pair whose second character
/// a template literal could hold, never a control character (templates refuse them), so read pair by pair the first
/// <see cref="KeyMark"/> ends the key: a scoped key is never an unscoped one, and two scoped keys are equal only with
/// equal keys and equal scopes.
/// </remarks>
internal sealed class ScopeRule
{
    /// <summary>What separates a key from its scope: '\' and a control character, a pair no key's escaping makes.</summary>
    public const string KeyMark = "\\\u001F";

    /// <summary>What separates a partitioned tag from its scope.</summary>
    public const char TagMark = '@';

    private readonly CompiledTemplate _values;

    public ScopeRule(ScopeValue[] values, bool partitionTags)
    {
        Values = values;
        PartitionTags = partitionTags;
        Names = string.Join(",", values.Select(v => Escape(v.Name)));
        var scope = new TemplateScope([.. values.Select((v, i) => new TemplateParameter("v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), v.ValueType, i))], resultType: null);
        _values = TemplateCompiler.Compile(string.Join("|", values.Select((_, i) => "{v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}")), scope, TemplateKind.Key);
    }

    public ScopeValue[] Values { get; }

    public bool PartitionTags { get; }

    /// <summary>Gets the names of the values, escaped: two rules with the same names read the same states.</summary>
    public string Names { get; }

    /// <summary>Gets the state types to resolve from the scope, one per value.</summary>
    public IEnumerable<Type> StateTypes => Values.Select(v => v.StateType);

    /// <summary>A snapshot of the values a scope holds now, its states resolved from it (for one request, say).</summary>
    public ScopeSnapshot Snapshot(Func<Type, object> resolve) => Snapshot([.. StateTypes.Select(resolve)]);

    /// <summary>A snapshot of the values the scope's states hold now.</summary>
    public ScopeSnapshot Snapshot(object[] states)
    {
        var values = new object?[Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Values[i].Read(states[i]);
        }

        return new ScopeSnapshot(this, values, Names + "=" + _values.Format(values));
    }

    /// <summary>Gets a value indicating whether the states still hold the snapshot's values.</summary>
    public bool Matches(object[] states, ScopeSnapshot snapshot)
    {
        var held = snapshot.Values;
        for (var i = 0; i < Values.Length; i++)
        {
            if (!Values[i].Matches(states[i], held[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Describes the values for messages: <c>TenantContext</c>, or <c>TenantContext and UserContext</c>.</summary>
    public override string ToString() => string.Join(" and ", Values.Select(v => v.StateType.Name));

    private static string Escape(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is '\\' or '=' or ',' or '|')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
