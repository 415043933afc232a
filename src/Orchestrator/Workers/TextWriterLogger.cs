using Microsoft.Extensions.Logging;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// A minimal logger writing one line per entry to a text writer: a worker logs to its stderr, which the
/// parent captures (the last lines end up in crash reports).
/// </summary>
public sealed class TextWriterLogger<T>(TextWriter writer, LogLevel minimum = LogLevel.Information) : ILogger<T>
{
    private readonly string category = typeof(T).Name;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel)) return;
        var line = $"{logLevel.ToString().ToLowerInvariant()}: {category}: {formatter(state, exception)}";
        if (exception is not null) line += Environment.NewLine + exception;
        lock (writer) writer.WriteLine(line);
    }
}
