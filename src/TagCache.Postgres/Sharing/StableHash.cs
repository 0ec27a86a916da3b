using System.Text;

namespace TagCache.Postgres.Sharing;

/// <summary>
/// A 64-bit FNV-1a hash, the same in every process (unlike <see cref="string.GetHashCode()"/>): advisory lock keys that
/// every node must agree on.
/// </summary>
internal static class StableHash
{
    public static long Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
