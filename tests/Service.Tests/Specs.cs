using System.Globalization;
using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Service.Tests;

/// <summary>Experiment specs the tests create, and what random search must draw for them.</summary>
internal static class Specs
{
    /// <summary>Minimise x² over x in [-1, 1] with the in-process evaluator; each trial waits <paramref name="seconds"/>.</summary>
    public static string Square(int trials, int concurrent = 4, double seconds = 0, long seed = 3, string name = "square", string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {"name": "{{name}}", "evaluator": "test-inproc", "fixed": {"seconds": {{seconds}}},
         "space": {"parameters": [{"name": "x", "type": "continuous", "low": -1, "high": 1}]},
         "objectives": [{"metric": "square", "direction": "minimize"}],
         "budget": {"max_trials": {{trials}}, "max_concurrent": {{concurrent}}, "max_attempts": 2},
         "seed": {{seed}} {{extra}} }
        """);

    /// <summary>Like <see cref="Square"/>, but "fail" (true or false) makes about half of the trials throw.</summary>
    public static string SquareOrFail(int trials, long seed = 5) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {"name": "square-or-fail", "evaluator": "test-inproc",
         "space": {"parameters": [{"name": "x", "type": "continuous", "low": -1, "high": 1},
                                  {"name": "fail", "type": "categorical", "choices": [true, false]}]},
         "objectives": [{"metric": "square", "direction": "minimize"}],
         "budget": {"max_trials": {{trials}}, "max_concurrent": 4, "max_attempts": 2}, "seed": {{seed}} }
        """);

    /// <summary>test-eval in a worker process: each trial writes trial-ID.txt holding its "value" and returns it as an artifact.</summary>
    public static string WithArtifacts(int trials) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {"name": "with-files", "evaluator": "test-eval", "fixed": {"action": "sleep", "artifact": true},
         "space": {"parameters": [{"name": "value", "type": "integer", "low": 1, "high": 100000}]},
         "objectives": [{"metric": "value", "direction": "minimize"}],
         "budget": {"max_trials": {{trials}}, "max_concurrent": 1, "max_attempts": 2}, "seed": 11 }
        """);

    /// <summary>NAS-Bench-201 by random search, two objectives: validation accuracy up, Pixel 3 latency down.</summary>
    public static string Nb201TwoObjectives(int trials)
    {
        var ops = """["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]""";
        var parameters = string.Join(", ", new[] { "op_10", "op_20", "op_21", "op_30", "op_31", "op_32" }
            .Select(p => $$"""{"name": "{{p}}", "type": "categorical", "choices": {{ops}}}"""));
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {"name": "nb201-two", "evaluator": "nb201", "space": {"parameters": [{{parameters}}]},
             "objectives": [{"metric": "validation_accuracy", "direction": "maximize"}, {"metric": "latency_ms_pixel3", "direction": "minimize"}],
             "budget": {"max_trials": {{trials}}, "max_concurrent": 8}, "seed": 1 }
            """);
    }

    /// <summary>The x values random search draws for <see cref="Square"/> with this seed, in order.</summary>
    public static List<double> ExpectedXs(int count, long seed = 3)
    {
        var spec = ExperimentSpec.Parse(Square(count, seed: seed));
        var strategy = new RandomSearch(new StrategyContext { Space = spec.Space, Objectives = spec.Objectives, Seed = seed });
        return [.. strategy.Ask(count).Select(s => s.Config["x"]!.GetValue<double>())];
    }
}
