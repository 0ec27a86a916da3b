namespace TagCache.Interception.Planning;

/// <summary>
/// What answers a call: the implementation type, and the registration that made it (its service keys, and an ordinal when
/// several registrations of one type exist). The default key starts with <see cref="Text"/>, so two implementations of an
/// interface, or one type registered twice with different settings, never share an entry (rule 5 in docs/architecture.md).
/// </summary>
internal sealed class TargetIdentity(Type targetType, string text, TagCacheScopeOptions? declared = null)
{
    public Type TargetType { get; } = targetType;

    /// <summary>Gets what the registration declared its entries vary by (or that they are shared); null when it declared nothing.</summary>
    public TagCacheScopeOptions? Declared { get; } = declared is { IsDeclared: true } ? declared : null;

    /// <summary>Gets the identity as the default key writes it, e.g. <c>Shop.EuroPrices[eur]</c> or <c>Shop.RatedPrices#2</c>.</summary>
    public string Text { get; } = text;

    /// <summary>Gets or sets a value indicating whether every method of the proxied services was planned for this target.</summary>
    public bool Prepared { get; set; }

    public override string ToString() => Text;
}

/// <summary>
/// Gives each registration (of one container) its identity. The first registration of a type (and service key) is
/// written as the type; a further one of the same type gets <c>#2</c>, <c>#3</c>, so their entries stay apart.
/// </summary>
internal sealed class TargetIdentities
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(object Registration, Type TargetType), TargetIdentity> _byRegistration = new();
    private readonly Dictionary<string, int> _registrationsPerText = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, TargetIdentity> _byType = [];

    /// <summary>The identity of instances of <paramref name="targetType"/> made by <paramref name="registration"/>.</summary>
    /// <param name="registration">The container's registration object (Autofac's component registration, a Microsoft DI descriptor's factory).</param>
    /// <param name="targetType">The runtime type of the instance the registration made.</param>
    /// <param name="serviceKeys">The registration's service keys, if it is keyed.</param>
    /// <param name="declared">What the registration declared its entries vary by, if anything.</param>
    public TargetIdentity For(object registration, Type targetType, IReadOnlyList<object> serviceKeys, TagCacheScopeOptions? declared)
    {
        // Looked up on every resolve of a proxied service, so the common case takes no lock.
        if (_byRegistration.TryGetValue((registration, targetType), out var known))
        {
            return known;
        }

        lock (_registrationsPerText)
        {
            if (_byRegistration.TryGetValue((registration, targetType), out known))
            {
                return known;
            }

            var text = Templates.TemplateCompiler.DisplayTypeName(targetType)
                + (serviceKeys.Count == 0 ? string.Empty : "[" + string.Join(",", serviceKeys) + "]");
            var ordinal = _registrationsPerText[text] = _registrationsPerText.GetValueOrDefault(text) + 1;
            var identity = new TargetIdentity(targetType, ordinal == 1 ? text : $"{text}#{ordinal}", declared);
            _byRegistration[(registration, targetType)] = identity;
            return identity;
        }
    }

    /// <summary>
    /// The identity of a target seen without its registration (a proxy made by your own Castle code around a
    /// <see cref="TagCacheInterceptor"/>): its type, as the first registration of that type is written.
    /// </summary>
    public TargetIdentity ForType(Type targetType)
    {
        lock (_registrationsPerText)
        {
            if (!_byType.TryGetValue(targetType, out var identity))
            {
                identity = new TargetIdentity(targetType, Templates.TemplateCompiler.DisplayTypeName(targetType));
                _byType[targetType] = identity;
            }

            return identity;
        }
    }
}
