namespace AutoCompress.Contracts.Search;

/// <summary>A search space or a configuration that does not fit it; the message names the parameter.</summary>
public sealed class SearchSpaceException : Exception
{
    public SearchSpaceException() : base("invalid search space") { }

    public SearchSpaceException(string message) : base(message) { }

    public SearchSpaceException(string message, Exception inner) : base(message, inner) { }
}
