namespace Agent.Actors.Kernel;

/// <summary>Start, stop and restart of the actor instance.</summary>
internal sealed partial class ActorCell
{
    /// <summary>Creates the instance on the calling thread; used for the root guardian only.</summary>
    internal void StartSynchronously()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            DoCreate();
        }
        finally
        {
            t_current = previous;
        }
    }

    private void DoCreate()
    {
        if (_state != LifecycleState.Creating)
        {
            return;
        }
        try
        {
            _actor = NewActor();
            _state = LifecycleState.Running;
            _actor.PreStart();
        }
        catch (Exception e)
        {
            _state = LifecycleState.Running;
            HandleInvokeFailure(new ActorInitializationException(_self, $"Exception during creation of {_self.Path}", e));
        }
    }

    private void DoTerminate()
    {
        if (_state >= LifecycleState.Terminating)
        {
            return;
        }
        _state = LifecycleState.Terminating;
        CancelReceiveTimeout();
        _x?.Timers?.CancelAll();
        var children = ChildrenSnapshot();
        foreach (var child in children)
        {
            Stop(child);
        }
        if (children.Length == 0)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        try
        {
            if (actor is not null)
            {
                var previous = _current;
                actor.PostStop();
                _current = previous;
            }
        }
        catch (Exception e)
        {
            _system.Logging.For(_self.Path, _props.ActorType).Error(e, "PostStop of {Path} threw", _self.Path);
        }
        finally
        {
            _state = LifecycleState.Terminated;
            if (_x?.Stash is { } stash)
            {
                foreach (var envelope in stash.Drain())
                {
                    _system.DeadLetterRef.Publish(envelope.Message, envelope.Sender, _self);
                }
            }
            CloseMailbox();
            TellWatchersWeDied();
            UnwatchWatchedActors();
            _actor = null;
            _current = null;
            _x = null;
            _parent.SendSystemMessage(new DeathWatchNotification(_self, ExistenceConfirmed: true, AddressTerminated: false));
        }
    }

    private void HandleInvokeFailure(Exception cause)
    {
        if (_state >= LifecycleState.Terminating)
        {
            _system.Logging.For(_self.Path, _props.ActorType).Error(cause, "{Path} failed while stopping", _self.Path);
            return;
        }
        var x = X;
        if (x.Failure is not null)
        {
            return;
        }
        x.Failure = cause;
        x.FailedMessage = _current?.Message;
        SuspendSelfAndChildren();
        _parent.SendSystemMessage(new Failed(_self, cause, _self.Path.Uid));
    }

    private void SuspendSelfAndChildren()
    {
        _suspendCount++;
        foreach (var child in ChildrenSnapshot())
        {
            child.SendSystemMessage(Suspend.Instance);
        }
    }

    private void ResumeSelfAndChildren()
    {
        if (_suspendCount > 0)
        {
            _suspendCount--;
        }
        if (_x is not null)
        {
            _x.Failure = null;
            _x.FailedMessage = null;
        }
        foreach (var child in ChildrenSnapshot())
        {
            child.SendSystemMessage(new Resume(null));
        }
    }

    private void DoRecreate(Exception cause)
    {
        if (_state >= LifecycleState.Terminating)
        {
            return;
        }
        var failed = _actor;
        if (failed is not null)
        {
            try
            {
                failed.PreRestart(cause, _x?.FailedMessage);
            }
            catch (Exception e)
            {
                _system.Logging.For(_self.Path, _props.ActorType).Error(e, "PreRestart of {Path} threw", _self.Path);
            }
        }
        var x = X;
        x.Behaviors = null;
        x.Timers?.CancelAll();
        if (x.Stash is { } stash)
        {
            Prepend(stash.Drain());
        }
        if (AnyChildStopping())
        {
            x.PendingRecreate = cause;
        }
        else
        {
            FinishRecreate(cause);
        }
    }

    private void FinishRecreate(Exception cause)
    {
        var x = X;
        x.PendingRecreate = null;
        x.Failure = null;
        x.FailedMessage = null;
        try
        {
            _actor = NewActor();
            _actor.PostRestart(cause);
        }
        catch (Exception e)
        {
            _suspendCount--;
            HandleInvokeFailure(new ActorInitializationException(_self, $"Exception during restart of {_self.Path}", e));
            return;
        }
        if (_suspendCount > 0)
        {
            _suspendCount--;
        }
        foreach (var child in ChildrenSnapshot())
        {
            if (!child.Cell.StoppingByParent)
            {
                child.SendSystemMessage(new Resume(cause));
            }
        }
    }

    private void HandleFailed(Failed failed)
    {
        if (failed.Child is not LocalActorRef child || !IsChild(child) || child.Path.Uid != failed.Uid)
        {
            return;
        }
        if (child.Cell.StoppingByParent)
        {
            return;
        }
        var strategy = _props.SupervisorStrategy ?? _actor?.SupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        if (!strategy.HandleFailure(this, child, failed.Cause))
        {
            HandleInvokeFailure(failed.Cause);
        }
    }

    private void HandleChildTerminated(LocalActorRef child)
    {
        RemoveChild(child);
        if (_state == LifecycleState.Terminating)
        {
            if (!HasChildren)
            {
                FinishTerminate();
            }
        }
        else if (_x?.PendingRecreate is { } cause && !AnyChildStopping())
        {
            FinishRecreate(cause);
        }
    }
}
