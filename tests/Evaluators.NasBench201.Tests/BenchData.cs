namespace AutoCompress.Evaluators.NasBench201.Tests;

/// <summary>The shared NAS-Bench-201 tables (../shared/benchdata beside the repository), read once for all tests.</summary>
internal static class BenchData
{
    public static readonly string? Folder = Find();

    public static string MissingReason =>
        $"needs ../shared/benchdata/{Nb201Table.AccuracyFileName} and {Nb201Table.LatencyFileName} beside the repository root " +
        $"(or {Nb201Data.EnvironmentVariable}); not found from {AppContext.BaseDirectory}";

    private static readonly Lazy<Nb201Table> Loaded = new(() => Nb201Table.LoadFolder(Folder ?? throw new InvalidOperationException(MissingReason)));

    public static Nb201Table Table => Loaded.Value;

    public static string AccuracyCsv => Path.Combine(Folder!, Nb201Table.AccuracyFileName);

    public static string LatencyCsv => Path.Combine(Folder!, Nb201Table.LatencyFileName);

    private static string? Find()
    {
        try
        {
            var folder = Nb201Data.Locate();
            return File.Exists(Path.Combine(folder, Nb201Table.AccuracyFileName)) && File.Exists(Path.Combine(folder, Nb201Table.LatencyFileName))
                ? folder : null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>A fact skipped, saying why, when the shared tables are missing.</summary>
public sealed class BenchDataFactAttribute : FactAttribute
{
    public BenchDataFactAttribute()
    {
        if (BenchData.Folder is null) Skip = BenchData.MissingReason;
    }
}

/// <summary>A theory skipped, saying why, when the shared tables are missing.</summary>
public sealed class BenchDataTheoryAttribute : TheoryAttribute
{
    public BenchDataTheoryAttribute()
    {
        if (BenchData.Folder is null) Skip = BenchData.MissingReason;
    }
}
