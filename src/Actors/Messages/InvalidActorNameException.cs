namespace AutoCompress.Actors;

/// <summary>
/// Thrown by <c>ActorOf</c> for a name that is empty, contains a reserved character, starts with '$' (reserved for
/// generated names) or is already taken by a live sibling. Names make paths, and paths must be unique among siblings.
/// </summary>
public sealed class InvalidActorNameException : ArgumentException
{
    public InvalidActorNameException()
    {
    }

    public InvalidActorNameException(string message)
        : base(message)
    {
    }

    public InvalidActorNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
