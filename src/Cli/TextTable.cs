using System.Text;

namespace AutoCompress.Cli;

/// <summary>
/// Plain aligned columns (two spaces apart, the last one unpadded): readable on a terminal, and still one record per
/// line for grep, awk and tests. Tables meant for machines use --json instead.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public int Count => rows.Count;

    public void Add(params string[] cells) => rows.Add(cells);

    public override string ToString()
    {
        var all = rows.Prepend(headers).ToList();
        var columns = all.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => all.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0) line.Append("  ");
                line.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c]));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }
}
