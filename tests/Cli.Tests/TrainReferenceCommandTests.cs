using System.Diagnostics;
using System.IO.Compression;

namespace AutoCompress.Cli.Tests;

/// <summary>Runs the real `autocompress` program the way a user does.</summary>
public sealed class TrainReferenceCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "autocompress.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) p.Kill(entireProcessTree: true);
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void A_short_run_prints_accuracy_macs_parameters_and_writes_the_weights()
    {
        var weights = Path.Combine(dir, "ref.safetensors");
        var (code, stdout, stderr) = Run("train-reference", "--epochs", "1", "--train-limit", "1000", "--out", weights);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"test accuracy\s+\d+\.\d+% \(10000 images\)", stdout);
        Assert.Contains("7,599,872 per image", stdout);
        Assert.Contains("241,770", stdout);
        Assert.True(new FileInfo(weights).Length > 241_770 * 4);
    }

    [Fact]
    public void Compress_runs_a_method_plugin_on_trained_weights_and_names_unknown_methods()
    {
        var weights = Path.Combine(dir, "ref.safetensors");
        Assert.Equal(0, Run("train-reference", "--epochs", "1", "--train-limit", "1000", "--out", weights).Code);
        var output = Path.Combine(dir, "pruned");
        var (code, stdout, stderr) = Run("compress", "--method", "prune", "--config", """{"target_mac_reduction": 0.5}""",
            "--weights", weights, "--epochs", "0.1", "--train-limit", "1000", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"mac_reduction\s+0\.5\d", stdout);
        Assert.Contains("3,640,912", stdout);
        Assert.True(File.Exists(Path.Combine(output, "description.json")));

        var unknown = Run("compress", "--method", "prun", "--weights", weights);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no plugin named 'prun'; known plugins: ", unknown.Err);
        // Every built-in is listed (the list grows as plugins are added, so it is not compared whole).
        foreach (var known in new[] { "counts", "distill", "latency-lut", "memory", "prune", "quantize" })
            Assert.Matches($"known plugins: .*\\b{known}\\b", unknown.Err);
    }

    [Fact]
    public void A_missing_dataset_says_where_it_looked_and_how_to_install_it()
    {
        var (code, _, stderr) = Run("train-reference", "--data-dir", Path.Combine(dir, "nothing-here"));
        Assert.Equal(1, code);
        Assert.Contains("nothing-here", stderr);
        Assert.Contains("apt-get install dataset-fashion-mnist", stderr);
    }

    [Fact]
    public void A_corrupt_dataset_file_is_named_in_the_error()
    {
        foreach (var f in Directory.GetFiles("/usr/share/datasets/fashion-mnist"))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        // Truncate the training images: the header promises 60000 images.
        var images = Path.Combine(dir, "train-images-idx3-ubyte.gz");
        using (var src = new GZipStream(File.OpenRead(Path.Combine("/usr/share/datasets/fashion-mnist", "train-images-idx3-ubyte.gz")), CompressionMode.Decompress))
        using (var dst = new GZipStream(File.Create(images), CompressionLevel.Fastest))
        {
            var buf = new byte[16 + 784 * 100];
            src.ReadExactly(buf);
            dst.Write(buf);
        }
        var (code, _, stderr) = Run("train-reference", "--data-dir", dir, "--epochs", "1");
        Assert.Equal(1, code);
        Assert.Contains("train-images-idx3-ubyte.gz", stderr);
        Assert.Contains("truncated", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_bad_option_value_is_refused_with_its_name()
    {
        var (code, _, stderr) = Run("train-reference", "--epochs", "0");
        Assert.NotEqual(0, code);
        Assert.Contains("Epochs", stderr);
    }
}
