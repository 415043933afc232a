using System.Diagnostics;
using AutoCompress.Contracts.Methods;
using AutoCompress.Torch;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Plugins.Tests;

/// <summary>
/// The third-party path, as a user walks it: install the `dotnet new` template, create a plugin
/// out of the repository, build it against the platform assemblies, drop the output into a plugin
/// directory, and have the host load it and run it on a real model.
/// </summary>
public sealed class TemplateTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-template-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private string Dotnet(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Keep the test's template hive and first-run state out of the user's profile.
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var output = stdout.Result + stderr;
        Assert.True(p.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited with {p.ExitCode}:\n{output}");
        return output;
    }

    [Fact]
    public async Task A_plugin_made_from_the_template_builds_out_of_tree_loads_and_runs()
    {
        var hive = Path.Combine(dir, "hive");
        Dotnet("new", "install", Path.Combine(Root(), "templates", "MethodPlugin"), "--debug:custom-hive", hive);
        Dotnet("new", "autocompress-method", "-n", "Acme.Clip", "-o", Path.Combine(dir, "src"), "--methodId", "acme-clip", "--debug:custom-hive", hive);
        // The test's own output folder holds the platform assemblies, as the CLI's does for a user.
        var plugins = Path.Combine(dir, "plugins");
        Dotnet("build", Path.Combine(dir, "src"), "-c", "Release", $"-p:AutoCompressHome={AppContext.BaseDirectory}",
            "-o", Path.Combine(plugins, "Acme.Clip"));
        Assert.False(File.Exists(Path.Combine(plugins, "Acme.Clip", "AutoCompress.Contracts.dll")), "the platform assemblies must not be copied into the plugin");

        using var host = new PluginHost(new PluginHostOptions { Directories = [plugins] }, NullLogger<PluginHost>.Instance);
        host.LoadAll();
        var info = Assert.Single(host.Plugins);
        Assert.True(info.State == PluginState.Loaded, info.Error);
        var method = host.Get<CompressionMethod>("acme-clip");
        Assert.Equal("k", Assert.Single(method.Schema.Parameters).Name);

        TorchEngine.ManualSeed(3);
        ModelArtifact model;
        using (var cnn = new ReferenceCnn())
        {
            var (description, weights) = ModuleDescriber.Describe(cnn, [1, 28, 28], "reference-cnn");
            AutoCompress.Torch.Serialization.SafeTensors.Save(Path.Combine(dir, "ref.safetensors"), weights.Select(kv => (kv.Key, kv.Value)));
            model = new ModelArtifact(description, Path.Combine(dir, "ref.safetensors"));
        }
        var context = new MethodContext { WorkDirectory = Path.Combine(dir, "work"), Dataset = new DatasetSpec { TrainLimit = 1000 } };
        var outcome = await MethodRunner.RunAsync(method, model, """{"k": 1.0}""", context, TimeSpan.FromMinutes(2));
        Assert.True(outcome.Succeeded, outcome.Error);
        // Clipping at one standard deviation touches about a third of the weights of every layer.
        Assert.InRange(outcome.Result!.Metrics["clipped_weights"], 0.2 * 241_770, 0.5 * 241_770);
        Assert.Equal(7_599_872, outcome.Result.Metrics["macs"]);
        using var loaded = ModelArtifacts.Load(outcome.Result.Model);
        Assert.Equal(241_770, loaded.ParameterCount());

        var bad = await MethodRunner.RunAsync(method, model, """{"k": 50}""", context, TimeSpan.FromMinutes(1));
        Assert.Contains("k = 50 is outside [0.5, 10]", bad.Error);
    }
}
