namespace TagCache.Scopes;

/// <summary>
/// The caller's scope as one proxied instance (or one request) sees it: resolves the states its keys vary by from the
/// scope's container, on first use, and snapshots their values at every call, reusing the last snapshot while they stay
/// the same. One per proxy instance, so it lives and dies with the scope that resolved the instance.
/// </summary>
/// <param name="resolve">Resolves a service from the scope (throws if it is not registered).</param>
internal sealed class ProxyScope(Func<Type, object> resolve)
{
    // Usually one rule (the service's, or its cache's); a method whose cache and invalidations differ may need two.
    private Reader[] _readers = [];

    /// <summary>The values of <paramref name="rule"/> in this scope now.</summary>
    public ScopeSnapshot Current(ScopeRule rule)
    {
        var readers = Volatile.Read(ref _readers);
        foreach (var reader in readers)
        {
            if (ReferenceEquals(reader.Rule, rule))
            {
                return reader.Current();
            }
        }

        return Add(rule).Current();
    }

    private Reader Add(ScopeRule rule)
    {
        var reader = new Reader(rule, [.. rule.StateTypes.Select(resolve)]);
        lock (this)
        {
            foreach (var known in _readers)
            {
                if (ReferenceEquals(known.Rule, rule))
                {
                    return known;
                }
            }

            Volatile.Write(ref _readers, [.. _readers, reader]);
            return reader;
        }
    }

    private sealed class Reader(ScopeRule rule, object[] states)
    {
        private ScopeSnapshot? _last;

        public ScopeRule Rule => rule;

        public ScopeSnapshot Current()
        {
            var last = Volatile.Read(ref _last);
            if (last is not null && rule.Matches(states, last))
            {
                return last;
            }

            last = rule.Snapshot(states);
            Volatile.Write(ref _last, last);
            return last;
        }
    }
}
