namespace AutoCompress.Actors;

/// <summary>
/// Thrown by <see cref="ActorRefExtensions.Ask{T}"/> when no reply arrived within the timeout. The message names the target
/// and the request type, because "a task timed out" alone does not say which conversation stalled.
/// </summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException()
    {
    }

    public AskTimeoutException(string message)
        : base(message)
    {
    }

    public AskTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
