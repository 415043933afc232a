using AutoCompress.Contracts.Methods;

namespace AutoCompress.Evaluators.NasBench201.Tests;

/// <summary>The table reader on the real data and on damaged copies of it.</summary>
public sealed class TableTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-nb201-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Copies both real tables into this test's folder, applying an edit to the lines of one of them.
    private string CopyWith(string fileName, Func<List<string>, List<string>> edit)
    {
        foreach (var source in new[] { BenchData.AccuracyCsv, BenchData.LatencyCsv })
        {
            var lines = File.ReadAllLines(source).ToList();
            if (Path.GetFileName(source) == fileName) lines = edit(lines);
            File.WriteAllLines(Path.Combine(dir, Path.GetFileName(source)), lines);
        }
        return dir;
    }

    private static List<string> ReplaceField(List<string> lines, int lineNumber, int field, string value)
    {
        var fields = lines[lineNumber - 1].Split(',');
        fields[field] = value;
        lines[lineNumber - 1] = string.Join(',', fields);
        return lines;
    }

    [BenchDataFact]
    public void The_real_tables_hold_every_cell_once_with_the_best_at_index_6111()
    {
        var table = BenchData.Table;
        Assert.Equal(15_625, table.Cells.Count);
        Assert.Equal(new[] { "pixel3", "raspi4", "gold_6226", "1080ti_1" }, table.Devices);
        var best = table.Cells.MaxBy(c => c.TestAccuracyPercent)!;
        Assert.Equal(6111, best.Index);
        Assert.Equal(94.37, Math.Round(best.TestAccuracyPercent, 2));
        Assert.Same(best, table.Cells.MaxBy(c => c.ValidationAccuracyPercent));
        for (var code = 0; code < 15_625; code++)
        {
            var cell = table.FindByCode(code);
            Assert.Equal(code, cell.Code);
            Assert.Same(cell, table.Find(cell.Arch));
            Assert.Same(cell, table[cell.Index]);
            Assert.Equal(4, cell.LatencyMs.Count);
        }
        // Index 1462, every edge a 3x3 conv (line 1464).
        var allConv = table.Find(Enumerable.Repeat(3, 6).ToArray());
        Assert.Equal(1462, allConv.Index);
        Assert.Equal(1_531_546, allConv.Parameters);
        Assert.Equal(220_119_690, allConv.Macs);
        Assert.Equal(93.76, allConv.TestAccuracyPercent, 10);
    }

    [BenchDataFact]
    public void A_value_that_is_not_a_number_names_the_file_line_and_column()
    {
        var folder = CopyWith(Nb201Table.AccuracyFileName, l => ReplaceField(l, 5, 9, "8x.5"));
        var e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(folder));
        Assert.Equal($"{Path.Combine(folder, Nb201Table.AccuracyFileName)}:5: column 'cifar10valid_xvalid_acc': '8x.5' is not an accuracy in percent (0 to 100)", e.Message);
    }

    [BenchDataFact]
    public void An_accuracy_out_of_range_a_short_row_and_a_bad_arch_are_refused_with_their_line()
    {
        var e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName, l => ReplaceField(l, 10, 10, "943.7"))));
        Assert.Contains(":10: column 'cifar10_oritest_acc': '943.7'", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName, l =>
        {
            l[99] = l[99][..l[99].LastIndexOf(',')];
            return l;
        })));
        Assert.Contains($"{Nb201Table.AccuracyFileName}:100: has 12 fields, the header has 13", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName,
            l => ReplaceField(l, 7, 1, "|none~0|+|none~0|conv~1|+|none~0|none~1|none~2|"))));
        Assert.Contains(":7: column 'arch_str':", e.Message, StringComparison.Ordinal);
        Assert.Contains("edge 'conv~1' (op_21) must be op~1", e.Message, StringComparison.Ordinal);
    }

    [BenchDataFact]
    public void An_op_column_disagreeing_with_the_arch_string_is_refused()
    {
        // Line 2 is index 0, whose op_10 is avg_pool_3x3.
        var e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName, l => ReplaceField(l, 2, 2, "none"))));
        Assert.Contains(":2: column 'op_10': 'none' disagrees with arch_str, which has 'avg_pool_3x3'", e.Message, StringComparison.Ordinal);
    }

    [BenchDataFact]
    public void A_missing_or_duplicated_cell_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName, l =>
        {
            l.RemoveAt(101); // line 102: index 100
            return l;
        })));
        Assert.Equal($"{Path.Combine(dir, Nb201Table.AccuracyFileName)}: index 100 is missing (1 of the 15625 cells are)", e.Message);

        e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName, l => ReplaceField(l, 3, 0, "0"))));
        Assert.Contains(":3: index 0 is already listed on line 2", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName, l =>
        {
            var second = l[2].Split(',');
            var first = l[1].Split(',');
            Array.Copy(first, 1, second, 1, 7); // line 3 gets line 2's cell
            l[2] = string.Join(',', second);
            return l;
        })));
        Assert.Contains(":3: architecture '|avg_pool_3x3~0|", e.Message, StringComparison.Ordinal);
        Assert.Contains("is already listed on line 2 (index 0)", e.Message, StringComparison.Ordinal);
    }

    [BenchDataFact]
    public void A_latency_table_that_disagrees_or_is_damaged_names_its_line()
    {
        var e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.LatencyFileName, l => ReplaceField(l, 4, 1, l[4].Split(',')[1]))));
        Assert.Contains($"{Nb201Table.LatencyFileName}:4: column 'arch_str': index 2 is ", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.LatencyFileName, l => ReplaceField(l, 8, 3, "-1"))));
        Assert.Contains($"{Nb201Table.LatencyFileName}:8: column 'raspi4_ms': '-1' is not a non-negative latency in milliseconds", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.LatencyFileName, l =>
        {
            l[0] = l[0].Replace("pixel3_ms", "pixel3", StringComparison.Ordinal);
            return l;
        })));
        Assert.Contains($"{Nb201Table.LatencyFileName}:1: column 'pixel3' must be named <device>_ms", e.Message, StringComparison.Ordinal);
    }

    [BenchDataFact]
    public void A_missing_column_is_named_with_the_header_it_found()
    {
        var e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(CopyWith(Nb201Table.AccuracyFileName, l =>
        {
            l[0] = l[0].Replace("cifar10_oritest_acc", "cifar10_test_acc", StringComparison.Ordinal);
            return l;
        })));
        Assert.Contains(":1: the header has no column 'cifar10_oritest_acc'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        File.WriteAllText(Path.Combine(dir, Nb201Table.LatencyFileName), "index,arch_str,pixel3_ms\n");
        var e = Assert.Throws<FileNotFoundException>(() => Nb201Table.LoadFolder(dir));
        Assert.Equal(Path.Combine(dir, Nb201Table.AccuracyFileName), e.FileName);
        Assert.Contains(Path.Combine(dir, Nb201Table.AccuracyFileName), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_refused_on_line_1()
    {
        File.WriteAllText(Path.Combine(dir, Nb201Table.AccuracyFileName), "");
        var e = Assert.Throws<InvalidDataException>(() => Nb201Table.LoadFolder(dir));
        Assert.Equal($"{Path.Combine(dir, Nb201Table.AccuracyFileName)}:1: the file is empty; expected a header line", e.Message);
    }

    [BenchDataFact]
    public async Task The_evaluator_reports_a_damaged_table_and_reads_it_again_once_it_is_fixed()
    {
        var folder = CopyWith(Nb201Table.AccuracyFileName, l => ReplaceField(l, 5, 9, "abc"));
        var evaluator = new Nb201Evaluator(folder);
        var request = new Contracts.Evaluation.EvaluationRequest(1, "x", """{"arch":"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"}""", null, 0, dir);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => evaluator.EvaluateAsync(request, new(), CancellationToken.None));
        Assert.Contains($"{Nb201Table.AccuracyFileName}:5: column 'cifar10valid_xvalid_acc': 'abc'", e.Message, StringComparison.Ordinal);
        File.Copy(BenchData.AccuracyCsv, Path.Combine(folder, Nb201Table.AccuracyFileName), overwrite: true);
        var result = await evaluator.EvaluateAsync(request, new(), CancellationToken.None);
        Assert.Equal(0.10, result.Metrics["test_accuracy"], 6); // all edges none: the network guesses
    }

    [BenchDataFact]
    public async Task Concurrent_first_evaluations_share_one_table()
    {
        var evaluator = new Nb201Evaluator(BenchData.Folder);
        var tables = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            var cell = evaluator.Cell($$"""{"arch":"|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|"}""");
            return (evaluator.Table, cell);
        })));
        Assert.All(tables, t => Assert.Same(tables[0].Table, t.Table));
        Assert.All(tables, t => Assert.Same(tables[0].cell, t.cell));
    }

    [Fact]
    public void A_folder_given_explicitly_wins_over_the_environment_and_the_search()
    {
        Assert.Equal(Path.GetFullPath(dir), Nb201Data.Locate(dir));
        var evaluator = new Nb201Evaluator(dir);
        var e = Assert.Throws<FileNotFoundException>(() => evaluator.Table);
        Assert.Contains(Path.Combine(dir, Nb201Table.AccuracyFileName), e.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigException>(() => evaluator.Cell("""{"op_10":"none"}"""));
    }
}
