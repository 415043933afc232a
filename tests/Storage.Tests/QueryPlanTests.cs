using AutoCompress.Storage.Tests.Support;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

/// <summary>The hot statements are served by indexes (no full scan of trials), which is what keeps them flat at 1M trials.</summary>
public class QueryPlanTests
{
    [Theory]
    [InlineData("SELECT COALESCE(MAX(seq), 0) FROM trials WHERE experiment_id = 1", "sqlite_autoindex_trials_1")]
    [InlineData("SELECT id FROM trials WHERE experiment_id = 1 AND status = 'pending' ORDER BY priority DESC, seq LIMIT 1", "ix_trials_queue")]
    [InlineData("UPDATE trials SET status = 'pending' WHERE status = 'running'", "ix_trials_running")]
    [InlineData("UPDATE trials SET status = 'pending' WHERE status = 'running' AND experiment_id = 1", "ix_trials_status (experiment_id=? AND status=?)")]
    [InlineData("SELECT id FROM trials WHERE experiment_id = 1 AND status = 'completed' AND seq > 5 ORDER BY seq LIMIT 10", "ix_trials_status")]
    [InlineData("SELECT COUNT(*) FROM trials WHERE experiment_id = 1 AND status = 'completed'", "ix_trials_status")]
    [InlineData("SELECT id FROM trials WHERE parent_id = 7", "ix_trials_parent")]
    [InlineData("SELECT path FROM artifacts WHERE trial_id = 7", "ix_artifacts_trial")]
    [InlineData("SELECT seq FROM checkpoints WHERE experiment_id = 1 ORDER BY seq DESC LIMIT 1", "sqlite_autoindex_checkpoints_1")]
    public async Task Hot_statements_use_their_index(string sql, string index)
    {
        await using var fixture = await StoreFixture.CreateAsync();
        using var raw = Raw(fixture.DbPath);
        using var command = raw.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read()) plan.Add(reader.GetString(3));
        Assert.Contains(plan, step => step.Contains(index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step is "SCAN trials" or "SCAN artifacts");
    }
}
