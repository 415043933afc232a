using System.Globalization;

namespace AutoCompress.StrategyBench;

/// <summary>One row of the NAS-Bench-201 paper's Table 5 (CIFAR-10 columns); std is null where the paper gives none.</summary>
internal sealed record PublishedRow(string Method, string Kind, double ValidMean, double? ValidStd, double TestMean, double? TestStd);

/// <summary>Reads nb201_published_cifar10.csv (method,kind,cifar10_valid_mean,cifar10_valid_std,cifar10_test_mean,cifar10_test_std).</summary>
internal static class Published
{
    /// <summary>Which strategy of ours corresponds to a method of the paper.</summary>
    public static readonly IReadOnlyDictionary<string, string> Ours = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RS"] = "random",
        ["REA"] = "regularized_evolution",
        ["REINFORCE"] = "reinforce",
    };

    /// <summary>The rows, or an empty list (with a note on stderr) when the file is missing.</summary>
    public static IReadOnlyList<PublishedRow> Read(string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"published results not found at {path}; the side-by-side table is left out");
            return [];
        }
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{path}:1: no column '{name}'");
        int method = Col("method"), kind = Col("kind"), vm = Col("cifar10_valid_mean"), vs = Col("cifar10_valid_std"), tm = Col("cifar10_test_mean"), ts = Col("cifar10_test_std");
        return lines.Skip(1).Select((l, n) =>
        {
            var f = l.Split(',');
            if (f.Length != header.Length) throw new InvalidDataException($"{path}:{n + 2}: has {f.Length} fields, the header {header.Length}");
            double Number(int c) => double.TryParse(f[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new InvalidDataException($"{path}:{n + 2}: column '{header[c]}': '{f[c]}' is not a number");
            double? Optional(int c) => f[c].Trim().Length == 0 ? null : Number(c);
            return new PublishedRow(f[method], f[kind], Number(vm), Optional(vs), Number(tm), Optional(ts));
        }).ToList();
    }
}
