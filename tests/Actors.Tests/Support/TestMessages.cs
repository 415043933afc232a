namespace AutoCompress.Actors.Tests;

/// <summary>Messages shared by the test actors.</summary>
internal sealed record Inc;

internal sealed record Get;

internal sealed record Boom(string Why);
