namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// The NAS-Bench-201 CIFAR-10 table joined with the per-device latency table: all 15,625 cells, found by benchmark
/// index, by op positions or by architecture string in constant time. Both files are checked completely when read
/// (every cell exactly once, op columns agreeing with the architecture string, numbers in range, the latency table
/// listing the same architecture under each index), because a search benchmark silently answering from a damaged
/// table would be worse than no answer.
/// </summary>
public sealed class Nb201Table
{
    /// <summary>The CIFAR-10 file name in the benchmark data folder.</summary>
    public const string AccuracyFileName = "nb201_cifar10.csv";

    /// <summary>The latency file name in the benchmark data folder.</summary>
    public const string LatencyFileName = "nb201_latency.csv";

    private const string DeviceSuffix = "_ms";

    private readonly Nb201Cell[] byIndex;
    private readonly Nb201Cell[] byCode;

    private Nb201Table(string accuracyPath, string latencyPath, Nb201Cell[] byIndex, Nb201Cell[] byCode, string[] devices)
    {
        AccuracyPath = accuracyPath;
        LatencyPath = latencyPath;
        this.byIndex = byIndex;
        this.byCode = byCode;
        Devices = devices;
    }

    /// <summary>The CIFAR-10 CSV the table was read from.</summary>
    public string AccuracyPath { get; }

    /// <summary>The latency CSV the table was read from.</summary>
    public string LatencyPath { get; }

    /// <summary>The devices of the latency table's <c>&lt;device&gt;_ms</c> columns, in column order.</summary>
    public IReadOnlyList<string> Devices { get; }

    /// <summary>All cells, by benchmark index.</summary>
    public IReadOnlyList<Nb201Cell> Cells => byIndex;

    /// <summary>The cell with benchmark index <paramref name="index"/>.</summary>
    public Nb201Cell this[int index] => index is >= 0 and < Nb201Arch.Size ? byIndex[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"a NAS-Bench-201 index is in 0..{Nb201Arch.Size - 1}");

    /// <summary>The cell with these op positions (edge order of <see cref="Nb201Arch.EdgeNames"/>).</summary>
    public Nb201Cell Find(IReadOnlyList<int> ops) => byCode[Nb201Arch.Code(ops)];

    /// <summary>The cell with base-5 code <paramref name="code"/> (see <see cref="Nb201Arch.Code"/>).</summary>
    public Nb201Cell FindByCode(int code) => code is >= 0 and < Nb201Arch.Size ? byCode[code]
        : throw new ArgumentOutOfRangeException(nameof(code), code, $"a cell code is in 0..{Nb201Arch.Size - 1}");

    /// <summary>The cell of an architecture string; a <see cref="FormatException"/> says what is wrong with a malformed one.</summary>
    public Nb201Cell Find(string arch) => Find(Nb201Arch.Parse(arch));

    /// <summary>
    /// Reads and checks both files. Errors: <see cref="FileNotFoundException"/> naming a missing file,
    /// <see cref="InvalidDataException"/> naming the file, line and column of the first problem.
    /// </summary>
    public static Nb201Table Load(string accuracyCsv, string latencyCsv)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accuracyCsv);
        ArgumentException.ThrowIfNullOrWhiteSpace(latencyCsv);
        var (byIndex, byCode) = ReadAccuracy(CsvTable.Read(accuracyCsv));
        var devices = ReadLatency(CsvTable.Read(latencyCsv), byIndex);
        return new Nb201Table(accuracyCsv, latencyCsv, byIndex, byCode, devices);
    }

    /// <summary>Reads <see cref="AccuracyFileName"/> and <see cref="LatencyFileName"/> from one folder.</summary>
    public static Nb201Table LoadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return Load(Path.Combine(folder, AccuracyFileName), Path.Combine(folder, LatencyFileName));
    }

    private static (Nb201Cell[] ByIndex, Nb201Cell[] ByCode) ReadAccuracy(CsvTable csv)
    {
        int index = csv.Column("index"), arch = csv.Column("arch_str");
        var edges = Nb201Arch.EdgeNames.Select(csv.Column).ToArray();
        int train = csv.Column("cifar10valid_train_acc"), valid = csv.Column("cifar10valid_xvalid_acc"), test = csv.Column("cifar10_oritest_acc");
        int parameters = csv.Column("params_cifar10"), macs = csv.Column("flops_cifar10");
        var byIndex = new Nb201Cell?[Nb201Arch.Size];
        var byCode = new Nb201Cell?[Nb201Arch.Size];
        var lineOfIndex = new int[Nb201Arch.Size];
        var lineOfCode = new int[Nb201Arch.Size];
        foreach (var (line, f) in csv.Rows)
        {
            var i = csv.Integer(line, f, index, 0, Nb201Arch.Size - 1);
            if (byIndex[i] is not null) throw CsvTable.Bad(csv.Path, line, $"index {i} is already listed on line {lineOfIndex[i]}");
            var archText = f[arch].Trim();
            int[] ops;
            try
            {
                ops = Nb201Arch.Parse(archText);
            }
            catch (FormatException e)
            {
                throw CsvTable.Bad(csv.Path, line, $"column 'arch_str': {e.Message}");
            }
            for (var e = 0; e < edges.Length; e++)
            {
                var op = f[edges[e]].Trim();
                if (op != Nb201Arch.Ops[ops[e]])
                    throw CsvTable.Bad(csv.Path, line, $"column '{Nb201Arch.EdgeNames[e]}': '{op}' disagrees with arch_str, which has '{Nb201Arch.Ops[ops[e]]}' on that edge");
            }
            const string Percent = "an accuracy in percent (0 to 100)";
            var cell = new Nb201Cell(i, Nb201Arch.Format(ops), ops,
                csv.Number(line, f, train, 0, 100, Percent), csv.Number(line, f, valid, 0, 100, Percent), csv.Number(line, f, test, 0, 100, Percent),
                csv.Long(line, f, parameters, 0), csv.Long(line, f, macs, 0));
            if (byCode[cell.Code] is { } twin)
                throw CsvTable.Bad(csv.Path, line, $"architecture '{cell.Arch}' is already listed on line {lineOfCode[cell.Code]} (index {twin.Index})");
            (byIndex[i], lineOfIndex[i]) = (cell, line);
            (byCode[cell.Code], lineOfCode[cell.Code]) = (cell, line);
        }
        var missing = Array.FindIndex(byIndex, c => c is null);
        if (missing >= 0)
            throw new InvalidDataException($"{csv.Path}: index {missing} is missing ({byIndex.Count(c => c is null)} of the {Nb201Arch.Size} cells are)");
        return (Array.ConvertAll(byIndex, c => c!), Array.ConvertAll(byCode, c => c!));
    }

    private static string[] ReadLatency(CsvTable csv, Nb201Cell[] cells)
    {
        int index = csv.Column("index"), arch = csv.Column("arch_str");
        var deviceColumns = Enumerable.Range(0, csv.Header.Count).Where(c => c != index && c != arch).ToArray();
        if (deviceColumns.Length == 0) throw CsvTable.Bad(csv.Path, 1, "the header has no <device>_ms columns");
        var devices = new string[deviceColumns.Length];
        for (var d = 0; d < deviceColumns.Length; d++)
        {
            var name = csv.Header[deviceColumns[d]];
            if (name.Length <= DeviceSuffix.Length || !name.EndsWith(DeviceSuffix, StringComparison.Ordinal))
                throw CsvTable.Bad(csv.Path, 1, $"column '{name}' must be named <device>_ms");
            devices[d] = name[..^DeviceSuffix.Length];
        }
        var seen = new int[Nb201Arch.Size];
        foreach (var (line, f) in csv.Rows)
        {
            var i = csv.Integer(line, f, index, 0, Nb201Arch.Size - 1);
            if (seen[i] != 0) throw CsvTable.Bad(csv.Path, line, $"index {i} is already listed on line {seen[i]}");
            seen[i] = line;
            var archText = f[arch].Trim();
            if (archText != cells[i].Arch)
                throw CsvTable.Bad(csv.Path, line, $"column 'arch_str': index {i} is '{archText}' here but '{cells[i].Arch}' in the accuracy table");
            var latencies = new double[devices.Length];
            for (var d = 0; d < devices.Length; d++)
                latencies[d] = csv.Number(line, f, deviceColumns[d], 0, double.MaxValue, "a non-negative latency in milliseconds");
            cells[i].SetLatencies(latencies);
        }
        var missing = Array.IndexOf(seen, 0);
        if (missing >= 0)
            throw new InvalidDataException($"{csv.Path}: index {missing} is missing ({seen.Count(s => s == 0)} of the {Nb201Arch.Size} cells are)");
        return devices;
    }
}
