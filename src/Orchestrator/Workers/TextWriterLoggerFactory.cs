using Microsoft.Extensions.Logging;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// A logger factory writing "level: category: message" lines to a text writer (stderr for the CLI). The console
/// logging package is not needed for that, and the hosted service (issue 8) brings the real logging stack.
/// </summary>
public sealed class TextWriterLoggerFactory(TextWriter writer, LogLevel minimum = LogLevel.Information) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(writer, minimum, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("this factory writes to one text writer");

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter writer, LogLevel minimum, string category) : ILogger
    {
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
}
