using System.Diagnostics;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Orchestrator.Workers;

namespace AutoCompress.Orchestrator.Tests;

/// <summary>`autocompress worker` driven directly over its pipes, as the pool does.</summary>
public sealed class WorkerCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-worker-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private Process Start()
    {
        var worker = TestPlugins.Worker;
        var psi = new ProcessStartInfo(worker.FileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in worker.Arguments) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "worker", "--plugins", TestPlugins.InstallEvaluators(dir) }) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task The_worker_says_ready_and_exits_when_its_parent_goes_away_even_mid_trial()
    {
        using var p = Start();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            var stdout = p.StandardOutput.BaseStream;
            var ready = Assert.IsType<ReadyMessage>(await WorkerProtocol.ReadAsync(stdout));
            Assert.Equal(p.Id, ready.Pid);
            Assert.Equal(new[] { "test-eval", "test-inproc" }, ready.Evaluators);
            Assert.Empty(ready.Broken);

            await WorkerProtocol.WriteAsync(p.StandardInput.BaseStream,
                new RunMessage(new EvaluationRequest(1, "e", """{"action":"hang"}""", null, 0, dir), "test-eval"));
            await Task.Delay(300);
            p.StandardInput.Close(); // what the parent's death looks like to the worker

            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(10)), "the worker did not exit when its stdin closed");
            Assert.Equal(WorkerLoop.ExitNormal, p.ExitCode);
            Assert.Contains("input closed", await stderr);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_garbled_message_from_the_parent_makes_the_worker_exit_with_the_reason()
    {
        using var p = Start();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            Assert.IsType<ReadyMessage>(await WorkerProtocol.ReadAsync(p.StandardOutput.BaseStream));
            await p.StandardInput.WriteAsync("hello worker\n");
            await p.StandardInput.FlushAsync();
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.Equal(WorkerLoop.ExitProtocolError, p.ExitCode);
            Assert.Contains("protocol error from the orchestrator", await stderr);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }
}
