namespace TagCache.Benchmarks.Support;

/// <summary>How the suite was started; benchmarks run in-process, so parameter sources can read it.</summary>
public static class RunMode
{
    public static bool Quick { get; set; }
}
