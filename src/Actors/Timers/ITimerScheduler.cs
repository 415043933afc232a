namespace AutoCompress.Actors;

/// <summary>
/// Timers owned by an actor (Akka.NET's <c>ITimerScheduler</c>): each timer has a key, starting a timer with a key that
/// is in use replaces it, and a cancelled or replaced timer never delivers a message afterwards, even one that was
/// already due. All timers are cancelled when the actor stops or restarts. Timer messages do not take mailbox room: they
/// are queued beside it and delivered before waiting mailbox messages, and a periodic timer whose previous tick has not
/// been processed yet skips ticks rather than piling them up.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to the actor once, after <paramref name="timeout"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan timeout);

    /// <summary>Sends <paramref name="message"/> every <paramref name="interval"/>, the first time after one interval.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Whether a timer with <paramref name="key"/> is running (a single timer stops being active when its message is delivered).</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with <paramref name="key"/>, if any.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer of the actor.</summary>
    void CancelAll();
}
