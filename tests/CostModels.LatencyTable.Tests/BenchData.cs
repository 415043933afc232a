using AutoCompress.CostModels.LatencyTable;

namespace AutoCompress.CostModels.LatencyTable.Tests;

/// <summary>The shared reference data, found next to the repository (the folder holding AutoCompress.sln).</summary>
internal static class BenchData
{
    public static readonly string? LatencyCsv = Find();

    public static string MissingReason => "needs ../shared/benchdata/nb201_latency.csv beside the repository root (the folder with AutoCompress.sln), which was not found above " + AppContext.BaseDirectory;

    private static readonly Lazy<ArchitectureLatencyTable> Nb201 = new(() =>
        new ArchitectureLatencyTable(ArchitectureLatencyTable.Nb201Id, LatencyCsv ?? throw new InvalidOperationException(MissingReason)));

    /// <summary>The real NAS-Bench-201 table, read once for all tests.</summary>
    public static ArchitectureLatencyTable Table => Nb201.Value;

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "AutoCompress.sln"))) continue;
            var csv = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "benchdata", "nb201_latency.csv"));
            return File.Exists(csv) ? csv : null;
        }
        return null;
    }
}

/// <summary>A fact that is skipped, saying why, when the shared latency table is missing.</summary>
public sealed class BenchDataFactAttribute : FactAttribute
{
    public BenchDataFactAttribute()
    {
        if (BenchData.LatencyCsv is null) Skip = BenchData.MissingReason;
    }
}

/// <summary>A theory that is skipped, saying why, when the shared latency table is missing.</summary>
public sealed class BenchDataTheoryAttribute : TheoryAttribute
{
    public BenchDataTheoryAttribute()
    {
        if (BenchData.LatencyCsv is null) Skip = BenchData.MissingReason;
    }
}
