using BenchmarkDotNet.Attributes;

namespace TagCache.Benchmarks.Support;

/// <summary>Adds <see cref="TargetCallsColumn"/> to one benchmark class.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TargetCallsColumnAttribute : ColumnConfigBaseAttribute
{
    public TargetCallsColumnAttribute()
        : base(new TargetCallsColumn())
    {
    }
}
