namespace TagCache.Scopes;

/// <summary>
/// The values one scope's keys vary by, at one moment: immutable, so a key made in the scope can hold it, and reused
/// from call to call while the values stay the same (a hit makes nothing).
/// </summary>
internal sealed class ScopeSnapshot
{
    public ScopeSnapshot(ScopeRule rule, object?[] values, string text)
    {
        Rule = rule;
        Values = values;
        Text = text;
        KeySuffix = ScopeRule.KeyMark + text;
        Hash = text.GetHashCode(StringComparison.Ordinal);
    }

    public ScopeRule Rule { get; }

    public object?[] Values { get; }

    /// <summary>Gets the scope as keys and tags write it: the names and the values.</summary>
    public string Text { get; }

    /// <summary>Gets what a key in this scope ends with.</summary>
    public string KeySuffix { get; }

    public int Hash { get; }

    /// <summary>Equal snapshots write the same text: the same names, and values whose Equals agrees with their text.</summary>
    public static bool Same(ScopeSnapshot? x, ScopeSnapshot? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Hash != y.Hash || !string.Equals(x.Rule.Names, y.Rule.Names, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < x.Values.Length; i++)
        {
            if (!Equals(x.Values[i], y.Values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The tag as this scope partitions it.</summary>
    public string Partition(string tag) => tag + ScopeRule.TagMark + Text;

    /// <summary>The tags an entry made in this scope carries: with partitioned tags, each tag and its partition; else the tags.</summary>
    public IReadOnlyCollection<string> Stamped(IReadOnlyCollection<string> tags)
    {
        if (!Rule.PartitionTags || tags.Count == 0)
        {
            return tags;
        }

        var both = new List<string>(tags.Count * 2);
        foreach (var tag in tags)
        {
            both.Add(tag);
            both.Add(Partition(tag));
        }

        return both;
    }
}
