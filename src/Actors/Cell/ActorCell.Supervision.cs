namespace AutoCompress.Actors;

/// <summary>
/// Failure and supervision, as in Akka.NET. An actor that throws suspends itself (stops taking user messages; its mailbox
/// keeps filling) and reports <see cref="SysFailed"/> to its parent. The parent's strategy decides: Resume (carry on,
/// state kept), Restart (PreRestart on the old instance, a fresh one from Props, PostRestart; the mailbox is kept and
/// the failed message dropped), Stop, or Escalate (the parent fails with the same exception, so the grandparent
/// decides). Restarts beyond the strategy's budget become a Stop. Every failure is logged with its directive and counted.
/// </summary>
internal sealed partial class ActorCell
{
    private Exception? failureCause;
    private object? failedMessage;
    private Exception? pendingRecreate;
    private List<LocalActorRef>? escalated;

    /// <summary>Constructs the actor and runs PreStart (or PostRestart); a failure of either is reported to the parent.</summary>
    private void CreateActor(Exception? restartCause)
    {
        ActorBase instance;
        creating = this;
        try
        {
            instance = Props.NewActor();
        }
        catch (Exception e)
        {
            Fail(new ActorInitializationException(Self, $"Creating {Path} ({Props.ActorType.Name}) threw: {e.Message}", e), null);
            return;
        }
        finally
        {
            creating = null;
        }
        if (!ReferenceEquals(instance.Cell, this))
        {
            Fail(new ActorInitializationException(Self,
                $"The Props factory of {Path} returned an actor it did not create; a factory must create a new instance on every call.", null), null);
            return;
        }

        actor = instance;
        try
        {
            if (restartCause is null)
                instance.InvokePreStart();
            else
                instance.InvokePostRestart(restartCause);
        }
        catch (Exception e)
        {
            var hook = restartCause is null ? "PreStart" : "PostRestart";
            Fail(new ActorInitializationException(Self, $"{hook} of {Path} threw: {e.Message}", e), null);
            return;
        }
        state = CellState.Running;
    }

    /// <summary>Suspends this actor and hands <paramref name="cause"/> to the supervisor.</summary>
    private void Fail(Exception cause, object? message)
    {
        if (state is CellState.Terminating or CellState.Terminated)
        {
            LogFailedWhileStopping(Logger, cause, Path);
            return;
        }
        state = CellState.Suspended;
        failureCause = cause;
        failedMessage = message;
        if (Parent is null)
            System.OnGuardianFailed(cause);
        else
            Parent.SendSystem(new SysFailed(Self, cause));
    }

    private void HandleChildFailed(LocalActorRef child, Exception cause)
    {
        var entry = FindChild(child);
        if (entry is null || entry.Stopping || state is CellState.Terminating or CellState.Terminated)
        {
            // It is being stopped anyway; the failure is still reported.
            LogFailedWhileStopping(Logger, cause, child.Path);
            return;
        }

        SupervisorStrategy strategy;
        Directive directive;
        try
        {
            strategy = Props.SupervisorStrategy ?? actor?.InvokeSupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
            directive = strategy.Decide(cause);
        }
        catch (Exception e)
        {
            LogDeciderFailed(Logger, e, Path, child.Path);
            strategy = SupervisorStrategy.DefaultStrategy;
            directive = Directive.Escalate;
        }

        if (directive == Directive.Restart && !strategy.RequestRestartPermission(entry.Stats, Now()))
        {
            LogBudgetExceeded(Logger, cause, child.Path, strategy.DescribeBudget());
            ActorTelemetry.Failures.Add(1, new KeyValuePair<string, object?>("directive", "StopAfterRestartBudget"));
            StopChild(child);
            return;
        }

        LogChildFailed(Logger, cause, child.Path, directive);
        ActorTelemetry.Failures.Add(1, new KeyValuePair<string, object?>("directive", directive.ToString()));
        switch (directive)
        {
            case Directive.Resume:
                child.Cell.SendSystem(SysResume.Instance);
                break;
            case Directive.Restart:
                ActorTelemetry.Restarts.Add(1);
                child.Cell.SendSystem(new SysRecreate(cause));
                break;
            case Directive.Stop:
                StopChild(child);
                break;
            default:
                // The child stays suspended until this actor's own supervisor has decided about this actor.
                (escalated ??= []).Add(child);
                if (state == CellState.Running)
                    Fail(cause, null);
                break;
        }
    }

    private void HandleResume()
    {
        if (state != CellState.Suspended || pendingRecreate is not null)
            return;
        if (actor is null)
        {
            // Creation failed: there is no instance to resume, so resuming means starting over.
            HandleRecreate(failureCause ?? new InvalidOperationException($"{Path} was resumed without an instance."));
            return;
        }
        state = CellState.Running;
        failureCause = null;
        failedMessage = null;
        if (escalated is { } suspendedChildren)
        {
            escalated = null;
            foreach (var child in suspendedChildren)
                child.Cell.SendSystem(SysResume.Instance);
        }
    }

    private void HandleRecreate(Exception cause)
    {
        if (state is CellState.Terminating or CellState.Terminated || pendingRecreate is not null)
            return;
        state = CellState.Suspended;
        timers?.CancelAll();
        var old = actor;
        if (old is not null)
        {
            try
            {
                old.InvokePreRestart(cause, failedMessage);
            }
            catch (Exception e)
            {
                LogHookFailed(Logger, e, "PreRestart", Path);
            }
        }
        actor = null;
        pendingRecreate = cause;
        bool noneStopping;
        lock (childrenGate)
            noneStopping = stoppingChildren == 0;
        if (noneStopping)
            FinishRecreate();
    }

    // Runs once the children that PreRestart stopped are gone, so that the new instance can reuse their names.
    private void FinishRecreate()
    {
        var cause = pendingRecreate!;
        pendingRecreate = null;
        failedMessage = null;
        escalated = null;
        currentSender = null;
        // Children that PreRestart chose to keep are restarted too, as in Akka.NET (not the ones the new instance creates).
        var survivors = GetChildren();
        CreateActor(cause);
        if (state != CellState.Running)
            return;
        failureCause = null;
        foreach (var survivor in survivors)
            ((LocalActorRef)survivor).Cell.SendSystem(new SysRecreate(cause));
    }

    private TimeSpan Now() => System.TimeProvider.GetElapsedTime(0, System.TimeProvider.GetTimestamp());
}
