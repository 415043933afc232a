using System.Globalization;

namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// A plain comma-separated file (a header, then rows; no quoting; blank lines ignored) read line by line, with
/// errors that name the file, the line and the column, so a damaged copy of the benchmark data is found at once.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> columns = new(StringComparer.Ordinal);

    private CsvTable(string path, string[] header, List<(int Line, string[] Fields)> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        for (var c = 0; c < header.Length; c++)
            if (!columns.TryAdd(header[c], c)) throw Bad(path, 1, $"column '{header[c]}' appears twice in the header");
    }

    public string Path { get; }

    public IReadOnlyList<string> Header { get; }

    /// <summary>The rows with their 1-based line numbers; every row has as many fields as the header.</summary>
    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    /// <summary>Reads <paramref name="path"/>; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static CsvTable Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NAS-Bench-201 data file '{path}' does not exist", path);
        using var reader = new StreamReader(path);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw Bad(path, 1, "the file is empty; expected a header line");
        var header = headerLine.Split(',').Select(h => h.Trim()).ToArray();
        var rows = new List<(int, string[])>(Nb201Arch.Size);
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(',');
            if (fields.Length != header.Length)
                throw Bad(path, lineNumber, $"has {fields.Length} fields, the header has {header.Length}");
            rows.Add((lineNumber, fields));
        }
        return new CsvTable(path, header, rows);
    }

    /// <summary>The position of a column that must be present.</summary>
    public int Column(string name) =>
        columns.TryGetValue(name, out var c) ? c : throw Bad(Path, 1, $"the header has no column '{name}' (it has {string.Join(", ", Header)})");

    public int Integer(int line, string[] fields, int column, long min, long max)
    {
        var text = fields[column].Trim();
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Bad(Path, line, $"column '{Header[column]}': '{text}' is not an integer in [{min}, {max}]");
        return checked((int)value);
    }

    public long Long(int line, string[] fields, int column, long min)
    {
        var text = fields[column].Trim();
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
            throw Bad(Path, line, $"column '{Header[column]}': '{text}' is not an integer >= {min}");
        return value;
    }

    public double Number(int line, string[] fields, int column, double min, double max, string what)
    {
        var text = fields[column].Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
            throw Bad(Path, line, $"column '{Header[column]}': '{text}' is not {what}");
        return value;
    }

    public static InvalidDataException Bad(string path, int line, string problem) => new($"{path}:{line}: {problem}");
}
