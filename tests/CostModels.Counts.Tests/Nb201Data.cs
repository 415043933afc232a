using System.Globalization;

namespace AutoCompress.CostModels.Counts.Tests;

/// <summary>One row of the NAS-Bench-201 CIFAR-10 table: the cell and its published counts.</summary>
public sealed record Nb201Row(int Index, string Arch, long Params, long Flops);

/// <summary>Finds and reads <c>../shared/benchdata/nb201_cifar10.csv</c> next to the repository root.</summary>
public static class Nb201Data
{
    public const string FileName = "nb201_cifar10.csv";

    /// <summary>The repository root: the first directory above the test binaries holding AutoCompress.sln.</summary>
    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoCompress.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>Where the CSV should be, or null when the repository root cannot be found.</summary>
    public static string? CsvPath() =>
        RepoRoot() is { } root ? Path.GetFullPath(Path.Combine(root, "..", "shared", "benchdata", FileName)) : null;

    public static bool IsAvailable() => CsvPath() is { } p && File.Exists(p);

    public static List<Nb201Row> Read()
    {
        var lines = File.ReadAllLines(CsvPath()!);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{FileName} has no column {name}");
        int index = Col("index"), arch = Col("arch_str"), prm = Col("params_cifar10"), flops = Col("flops_cifar10");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(f => new Nb201Row(
            int.Parse(f[index], CultureInfo.InvariantCulture), f[arch],
            long.Parse(f[prm], CultureInfo.InvariantCulture), long.Parse(f[flops], CultureInfo.InvariantCulture))).ToList();
    }
}

/// <summary>A fact skipped, with the reason, when the NAS-Bench-201 table is not next to the repository.</summary>
public sealed class Nb201FactAttribute : FactAttribute
{
    public Nb201FactAttribute()
    {
        if (!Nb201Data.IsAvailable())
            Skip = $"NAS-Bench-201 data not found at {Nb201Data.CsvPath() ?? "../shared/benchdata (no AutoCompress.sln above " + AppContext.BaseDirectory + ")"}";
    }
}
