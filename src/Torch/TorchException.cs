namespace AutoCompress.Torch;

/// <summary>A libtorch error surfaced through the shim, with libtorch's own message.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    public TorchException(string message, Exception inner) : base(message, inner) { }

    public TorchException() : base("libtorch error") { }
}
