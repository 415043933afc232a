namespace AutoCompress.Evaluators.NasBench201.Tests;

/// <summary>Changes the process environment, so it runs alone (after the parallel tests).</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

[Collection(nameof(ProcessEnvironment))]
public sealed class DataLocationTests
{
    [Fact]
    public void The_folder_comes_from_the_argument_then_the_environment_then_shared_benchdata_above_the_program()
    {
        var saved = Environment.GetEnvironmentVariable(Nb201Data.EnvironmentVariable);
        var dir = Directory.CreateTempSubdirectory("ac-nb201-env-").FullName;
        try
        {
            Environment.SetEnvironmentVariable(Nb201Data.EnvironmentVariable, dir);
            Assert.Equal(dir, Nb201Data.Locate());
            Assert.Equal(Path.GetFullPath("/tmp"), Nb201Data.Locate("/tmp"));
            var e = Assert.Throws<FileNotFoundException>(() => new Nb201Evaluator().Table);
            Assert.Contains(Path.Combine(dir, Nb201Table.AccuracyFileName), e.Message, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(Nb201Data.EnvironmentVariable, null);
            if (BenchData.Folder is not null)
            {
                var found = Nb201Data.Locate();
                Assert.Equal(Path.Combine("shared", "benchdata"), Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(found))!, found));
                Assert.True(File.Exists(Path.Combine(found, Nb201Table.AccuracyFileName)));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(Nb201Data.EnvironmentVariable, saved);
            Directory.Delete(dir, recursive: true);
        }
    }
}
