namespace TagCache.Reliability.Tests.Consistency;

/// <summary>A row version a read returned, with the logical time the read started.</summary>
public readonly record struct Observation(long Started, int Row, long Version);

/// <summary>An invalidation of a row that had returned by logical time <paramref name="Returned"/>, after writing <paramref name="Version"/>.</summary>
public readonly record struct Invalidation(long Returned, int Row, long Version);

/// <summary>What the checker found.</summary>
public sealed record StaleReport(long Observations, long Stale, IReadOnlyList<string> Examples);

/// <summary>
/// Checks reads against the history of invalidations. A read that started after an invalidation of row r returned must
/// see at least the version written before that invalidation. Times come from one global counter, taken after an
/// invalidation returns and before a read starts, so "before" in the history implies "before" in real time.
/// </summary>
public static class History
{
    public static StaleReport Check(int rows, IEnumerable<IReadOnlyList<Observation>> observations, IEnumerable<IReadOnlyList<Invalidation>> invalidations)
    {
        // Per row: invalidations by time, with the running maximum of the versions they guarantee.
        var byRow = new List<Invalidation>[rows];
        for (var r = 0; r < rows; r++)
        {
            byRow[r] = [];
        }

        foreach (var list in invalidations)
        {
            foreach (var invalidation in list)
            {
                byRow[invalidation.Row].Add(invalidation);
            }
        }

        var times = new long[rows][];
        var floors = new long[rows][];
        for (var r = 0; r < rows; r++)
        {
            byRow[r].Sort((a, b) => a.Returned.CompareTo(b.Returned));
            times[r] = [.. byRow[r].Select(i => i.Returned)];
            floors[r] = new long[byRow[r].Count];
            var floor = 0L;
            for (var i = 0; i < byRow[r].Count; i++)
            {
                floor = Math.Max(floor, byRow[r][i].Version);
                floors[r][i] = floor;
            }
        }

        long checkedCount = 0;
        long stale = 0;
        var examples = new List<string>();
        foreach (var list in observations)
        {
            foreach (var read in list)
            {
                checkedCount++;
                var required = Required(times[read.Row], floors[read.Row], read.Started);
                if (read.Version < required)
                {
                    stale++;
                    if (examples.Count < 5)
                    {
                        examples.Add($"row {read.Row}: read started at t={read.Started} saw version {read.Version}, but version {required} was written and invalidated before");
                    }
                }
            }
        }

        return new StaleReport(checkedCount, stale, examples);
    }

    private static long Required(long[] times, long[] floors, long started)
    {
        // The last invalidation that returned strictly before the read started.
        var index = Array.BinarySearch(times, started);
        index = index >= 0 ? index - 1 : ~index - 1;
        return index >= 0 ? floors[index] : 0;
    }
}
