using System.Globalization;
using System.Text;
using AutoCompress.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AutoCompress.Storage;

// Trials, reads: by id, pages, counts, artifacts. All on read connections (they see the last commit, never block the writer).
public sealed partial class ExperimentStore
{
    /// <summary>The trial, or null when there is none with this id.</summary>
    public Task<Trial?> GetTrialAsync(long trialId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {TrialColumns}, (SELECT uuid FROM experiments e WHERE e.id = trials.experiment_id) FROM trials WHERE id = $id";
            command.Parameters.AddWithValue("$id", trialId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadTrial(reader, Guid.Parse(reader.GetString(15))) : null;
        }, cancellationToken);

    /// <summary>
    /// A page of an experiment's trials (see <see cref="TrialQuery"/>). Throws <see cref="KeyNotFoundException"/> when
    /// the experiment does not exist.
    /// </summary>
    public Task<IReadOnlyList<Trial>> QueryTrialsAsync(Guid experimentId, TrialQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TrialQuery();
        query.Validate();
        return Read<IReadOnlyList<Trial>>(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder($"SELECT {TrialColumns}");
            if (query.OrderBy == TrialOrder.Metric)
            {
                sql.Append(", json_extract(metrics, $path) AS m");
                command.Parameters.AddWithValue("$path", $"$.\"{query.Metric}\"");
            }
            sql.Append(" FROM trials WHERE experiment_id = $e");
            command.Parameters.AddWithValue("$e", ExperimentKey(connection, experimentId));
            AppendStatusFilter(sql, command, query.Statuses);
            var direction = query.Descending ? "DESC" : "ASC";
            if (query.AfterSeq is { } after)
            {
                sql.Append(query.Descending ? " AND seq < $after" : " AND seq > $after");
                command.Parameters.AddWithValue("$after", after);
            }
            sql.Append(query.OrderBy == TrialOrder.Metric ? $" ORDER BY m IS NULL, m {direction}, seq" : $" ORDER BY seq {direction}");
            sql.Append(" LIMIT $limit OFFSET $offset");
            command.Parameters.AddWithValue("$limit", query.Limit);
            command.Parameters.AddWithValue("$offset", query.Offset);
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            var page = new List<Trial>(Math.Min(query.Limit, 1024));
            while (reader.Read()) page.Add(ReadTrial(reader, experimentId));
            return page;
        }, cancellationToken);
    }

    /// <summary>How many trials the experiment has (optionally only in the given statuses).</summary>
    public Task<long> CountTrialsAsync(Guid experimentId, IReadOnlyCollection<TrialStatus>? statuses = null, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder("SELECT COUNT(*) FROM trials WHERE experiment_id = $e");
            command.Parameters.AddWithValue("$e", ExperimentKey(connection, experimentId));
            AppendStatusFilter(sql, command, statuses);
            command.CommandText = sql.ToString();
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <summary>The artifacts recorded with a trial's completion, in the order given.</summary>
    public Task<IReadOnlyList<StoredArtifact>> GetArtifactsAsync(long trialId, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<StoredArtifact>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, kind, path, bytes, sha256, created_ms FROM artifacts WHERE trial_id = $t ORDER BY id";
            command.Parameters.AddWithValue("$t", trialId);
            using var reader = command.ExecuteReader();
            var list = new List<StoredArtifact>();
            while (reader.Read())
                list.Add(new StoredArtifact(reader.GetInt64(0), trialId,
                    new ArtifactInfo(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)),
                    UnixTime.From(reader.GetInt64(5))));
            return list;
        }, cancellationToken);

    private static void AppendStatusFilter(StringBuilder sql, SqliteCommand command, IReadOnlyCollection<TrialStatus>? statuses)
    {
        if (statuses is null || statuses.Count == 0) return;
        var names = statuses.Distinct().Select(status =>
            Enum.IsDefined(status) ? Names.Of(status) : throw new ArgumentOutOfRangeException(nameof(statuses), status, "unknown trial status")).ToArray();
        if (names.Length == 1)
        {
            sql.Append(" AND status = $s0");
            command.Parameters.AddWithValue("$s0", names[0]);
            return;
        }
        sql.Append(" AND status IN (");
        for (var i = 0; i < names.Length; i++)
        {
            sql.Append(i == 0 ? "$s" : ", $s").Append(i.ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$s" + i.ToString(CultureInfo.InvariantCulture), names[i]);
        }
        sql.Append(')');
    }

    private static Trial ReadTrial(SqliteDataReader r, Guid experimentId) => new(
        Id: r.GetInt64(0),
        ExperimentId: experimentId,
        Seq: r.GetInt64(1),
        ConfigJson: r.GetString(2),
        Fidelity: r.GetDouble(3),
        ParentId: r.IsDBNull(4) ? null : r.GetInt64(4),
        Priority: r.GetInt32(5),
        Status: Names.ParseTrial(r.GetString(6)),
        Attempt: r.GetInt32(7),
        WorkerId: r.IsDBNull(8) ? null : r.GetString(8),
        Metrics: r.IsDBNull(9) ? null : JsonText.ParseMetrics(r.GetString(9)),
        Error: r.IsDBNull(10) ? null : r.GetString(10),
        CreatedAt: UnixTime.From(r.GetInt64(11)),
        StartedAt: r.IsDBNull(12) ? null : UnixTime.From(r.GetInt64(12)),
        EndedAt: r.IsDBNull(13) ? null : UnixTime.From(r.GetInt64(13)),
        Duration: r.IsDBNull(14) ? null : TimeSpan.FromMilliseconds(r.GetInt64(14)));
}
