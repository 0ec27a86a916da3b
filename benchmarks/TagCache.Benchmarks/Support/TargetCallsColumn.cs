using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TagCache.Benchmarks.Support;

/// <summary>Shows how many times the target ran per operation (over every operation, warm-up included).</summary>
public sealed class TargetCallsColumn : IColumn
{
    public string Id => nameof(TargetCallsColumn);

    public string ColumnName => "Target calls/op";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Target (database) calls per operation, min-max over all operations including warm-up";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var callers = Convert.ToInt32(benchmarkCase.Parameters[nameof(StampedeBenchmarks.Callers)], CultureInfo.InvariantCulture);
        return TargetCallLog.Describe(benchmarkCase.Descriptor.WorkloadMethod.Name, callers);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
