namespace AutoCompress.Storage.Schema;

/// <summary>One schema step: the SQL that takes a database from <c>Version - 1</c> to <see cref="Version"/>.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
