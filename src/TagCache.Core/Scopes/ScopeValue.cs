using TagCache.Templates;

namespace TagCache.Scopes;

/// <summary>One value keys vary by: read from a service of the caller's scope at every call.</summary>
internal abstract class ScopeValue
{
    protected ScopeValue(Type stateType, Type valueType, int ordinal)
    {
        StateType = stateType;
        ValueType = valueType;
        Name = TemplateCompiler.DisplayTypeName(stateType) + (ordinal == 0 ? string.Empty : "#" + (ordinal + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Gets the service the value is read from.</summary>
    public Type StateType { get; }

    public Type ValueType { get; }

    /// <summary>Gets the value's name in keys and tags: the state's type, numbered when one state gives several values.</summary>
    public string Name { get; }

    /// <exception cref="ArgumentException">The value's type has no text that identifies its value.</exception>
    public static ScopeValue Create<TState, TValue>(Func<TState, TValue> read, int ordinal)
        where TState : notnull =>
        ArgumentEquality.EqualsAgreesWithText(typeof(TValue))
            ? new ScopeValue<TState, TValue>(read, ordinal)
            : throw new ArgumentException(
                $"VaryBy<{typeof(TState).Name}, {TemplateCompiler.DisplayTypeName(typeof(TValue))}>: keys can vary by a string, number, Guid, bool, char, enum, " +
                "TimeSpan, DateOnly or TimeOnly, whose text identifies the value. Return one of those, e.g. the tenant's id.",
                nameof(read));

    /// <summary>Reads the value from the scope's state, boxed, for a new snapshot.</summary>
    public abstract object? Read(object state);

    /// <summary>Gets a value indicating whether the state's value now is the one a snapshot holds, without boxing it.</summary>
    public abstract bool Matches(object state, object? held);
}

internal sealed class ScopeValue<TState, TValue>(Func<TState, TValue> read, int ordinal) : ScopeValue(typeof(TState), typeof(TValue), ordinal)
    where TState : notnull
{
    public override object? Read(object state) => read((TState)state);

    // For these types Equals holds exactly when the text is the same (ArgumentEquality.EqualsAgreesWithText).
    public override bool Matches(object state, object? held) =>
        held is TValue typed ? EqualityComparer<TValue>.Default.Equals(read((TState)state), typed) : read((TState)state) is null;
}
