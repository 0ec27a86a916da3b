using System.Reflection;
using TagCache.Scopes;
using TagCache.Templates;

namespace TagCache.Stores;

/// <summary>
/// A method's default key held as its argument values: hashed and compared by <see cref="ArgumentEquality"/>, which
/// agrees with the formatted key, so it finds the same entries without writing or hashing the text on every call.
/// </summary>
/// <remarks>
/// A hit looks up with <see cref="Probe"/>: one key per thread, pointing at the call's own argument array, so it
/// allocates nothing. Only a miss makes a key of its own (<see cref="Keep"/>) with a copy of the values, since the
/// memory cache and the flights hold it. Keys of two plans are equal when their default key texts are (one
/// implementation behind several registrations of one container, say), as the formatted keys were.
/// </remarks>
internal sealed class CallKey
{
    [ThreadStatic]
    private static CallKey? _probe;

    private CallKeyShape _shape;
    private object?[] _values;
    private int[] _positions;
    private ScopeSnapshot? _scope;
    private int _hash;

    private CallKey(CallKeyShape shape, object?[] values, int[] positions, ScopeSnapshot? scope, int hash)
    {
        _shape = shape;
        _values = values;
        _positions = positions;
        _scope = scope;
        _hash = hash;
    }

    /// <summary>
    /// The calling thread's probe for a lookup of <paramref name="arguments"/>: valid until the thread's next probe, and
    /// never to be kept (see <see cref="Keep"/>).
    /// </summary>
    /// <param name="shape">The method's key shape.</param>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="scope">The values of the caller's scope the method's keys vary by, if they do.</param>
    public static CallKey Probe(CallKeyShape shape, object?[] arguments, ScopeSnapshot? scope = null)
    {
        var hash = shape.Hash(arguments);
        if (scope is not null)
        {
            hash = (hash * -1521134295) + scope.Hash;
        }

        if (_probe is not { } probe)
        {
            return _probe = new CallKey(shape, arguments, shape.Positions, scope, hash);
        }

        probe._shape = shape;
        probe._values = arguments;
        probe._positions = shape.Positions;
        probe._scope = scope;
        probe._hash = hash;
        return probe;
    }

    /// <summary>A key of its own with this probe's values, for the memory cache and the flights to hold.</summary>
    public CallKey Keep()
    {
        var values = new object?[_positions.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _values[_positions[i]];
        }

        return new CallKey(_shape, values, _shape.Compact, _scope, _hash);
    }

    /// <summary>Lets go of the call's arguments, plan and scope, so the probe keeps nothing alive between calls.</summary>
    public void Release()
    {
        _values = [];
        _shape = null!;
        _scope = null;
    }

    public override int GetHashCode() => _hash;

    public override bool Equals(object? obj)
    {
        if (obj is not CallKey other || other._hash != _hash || !_shape.SameAs(other._shape) || !ScopeSnapshot.Same(_scope, other._scope))
        {
            return false;
        }

        var equalities = _shape.Equalities;
        for (var i = 0; i < equalities.Length; i++)
        {
            if (!equalities[i].Equal(_values[_positions[i]], other._values[other._positions[i]]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The formatted key, for messages and (when keys are included) telemetry.</summary>
    public override string ToString()
    {
        var arguments = new object?[_shape.ArgumentCount];
        for (var i = 0; i < _positions.Length; i++)
        {
            arguments[_shape.Positions[i]] = _values[_positions[i]];
        }

        var key = _shape.Key.Format(arguments);
        return _scope is null ? key : key + _scope.KeySuffix;
    }
}

/// <summary>What a method's <see cref="CallKey"/>s share: the key template and the equality of each argument in it.</summary>
internal sealed class CallKeyShape
{
    private readonly int _textHash;

    private CallKeyShape(CompiledTemplate key, int argumentCount, int[] positions, ArgumentEquality[] equalities)
    {
        Key = key;
        ArgumentCount = argumentCount;
        Positions = positions;
        Equalities = equalities;
        Compact = [.. Enumerable.Range(0, positions.Length)];
        _textHash = key.Text.GetHashCode(StringComparison.Ordinal);
    }

    public CompiledTemplate Key { get; }

    public int ArgumentCount { get; }

    /// <summary>Gets the positions of the arguments in the key (every parameter but a <see cref="CancellationToken"/>).</summary>
    public int[] Positions { get; }

    /// <summary>Gets 0, 1, 2…: where a kept key holds the values of <see cref="Positions"/>.</summary>
    public int[] Compact { get; }

    public ArgumentEquality[] Equalities { get; }

    /// <summary>
    /// The shape of <paramref name="method"/>'s default key <paramref name="key"/>, or null when an argument cannot be
    /// compared by value (an array or a list, which could change after the call): such methods keep the formatted key.
    /// </summary>
    public static CallKeyShape? TryCreate(MethodInfo method, CompiledTemplate key)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(key);
        var parameters = method.GetParameters();
        var positions = new List<int>();
        var equalities = new List<ArgumentEquality>();
        foreach (var parameter in parameters)
        {
            var type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
            if (type == typeof(CancellationToken))
            {
                continue;
            }

            if (ArgumentEquality.TryCreate(type) is not { } equality)
            {
                return null;
            }

            positions.Add(parameter.Position);
            equalities.Add(equality);
        }

        return new CallKeyShape(key, parameters.Length, [.. positions], [.. equalities]);
    }

    public int Hash(object?[] arguments)
    {
        var hash = _textHash;
        for (var i = 0; i < Positions.Length; i++)
        {
            hash = (hash * -1521134295) + Equalities[i].Hash(arguments[Positions[i]]);
        }

        return hash;
    }

    /// <summary>Same default key text: the same target, method and parameter types, so the same equalities.</summary>
    public bool SameAs(CallKeyShape other) => ReferenceEquals(this, other) || string.Equals(Key.Text, other.Key.Text, StringComparison.Ordinal);
}
