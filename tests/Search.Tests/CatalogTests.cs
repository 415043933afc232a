using AutoCompress.Contracts.Search;
using AutoCompress.Search.Middleware;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Tests;

public class CatalogTests
{
    [Fact]
    public void The_catalog_creates_every_built_in_strategy_by_name()
    {
        var catalog = new StrategyCatalog();
        Assert.Equal(["local_search", "nsga2", "random", "regularized_evolution", "reinforce"], catalog.Names);
        var context = Support.Context(Support.Categorical(), 1, null, new Objective("acc", Direction.Maximize));
        Assert.IsType<RegularizedEvolution>(catalog.Create("regularized_evolution", context));
        Assert.IsType<Nsga2>(catalog.Create("nsga2", context));
        Assert.IsType<Reinforce>(catalog.Create("reinforce", context));
        Assert.IsType<LocalSearch>(catalog.Create("local_search", context));
        var e = Assert.Throws<SearchSpaceException>(() => catalog.Create("bayesian", context));
        Assert.Contains("known: local_search, nsga2, random, regularized_evolution, reinforce", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_metrics_survive_a_checkpoint_through_json_text()
    {
        var space = Support.Categorical(1, 5);
        var context = Support.Context(space, 1);
        var dedup = new Deduplication(new RandomSearch(context), space, 1);
        var s = dedup.Ask(1)[0];
        dedup.Tell(new Observation(1, s.Config, 1, new Dictionary<string, double> { ["acc"] = double.NaN, ["loss"] = double.PositiveInfinity }));
        var restored = new Deduplication(new RandomSearch(context), space, 1);
        restored.RestoreState(Support.RoundTrip(dedup.SaveState()));
        Assert.Equal(dedup.SaveState().ToJsonString(), restored.SaveState().ToJsonString());
        Assert.Contains("\"NaN\"", restored.SaveState().ToJsonString(), StringComparison.Ordinal);
    }
}
