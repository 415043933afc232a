using System.Diagnostics.CodeAnalysis;

namespace AutoCompress.Actors;

/// <summary>
/// Replies that report the outcome of a request. Replying <see cref="Failure"/> to an
/// <see cref="ActorRefExtensions.Ask{T}"/> faults the caller's task with <see cref="Failure.Cause"/>, which is how an actor
/// returns an error to a caller instead of failing itself.
/// </summary>
[SuppressMessage("Design", "CA1034:Nested types should not be visible", Justification = "Status.Success/Status.Failure is the Akka.NET spelling; keeping it makes a port mechanical.")]
public static class Status
{
    /// <summary>A successful outcome carrying an optional result.</summary>
    /// <param name="Result">The result, if any.</param>
    public sealed record Success(object? Result);

    /// <summary>A failed outcome; an Ask that receives it throws <paramref name="Cause"/>.</summary>
    /// <param name="Cause">Why the request failed.</param>
    public sealed record Failure(Exception Cause);
}
