namespace Agent.Actors.Kernel;

/// <summary>
/// The mailbox: two lock-free multi-producer stacks (system and user messages) that the
/// running thread reverses into FIFO order, so an idle actor costs no queue segment.
/// Per-sender order is kept; system messages always go first.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private const int Scheduled = 1;
    private const int Closed = 2;

    private Envelope? _inbox;
    private Envelope? _drain;
    private Envelope? _systemInbox;
    private int _status;
    private int _suspendCount;
    private bool _asyncPending;

    /// <summary>Enqueues a user message; once the actor is gone, it becomes a dead letter.</summary>
    public void Post(object message, IActorRef? sender)
    {
        Push(ref _inbox, new Envelope(message, sender));

        if ((Volatile.Read(ref _status) & Closed) != 0)
        {
            DrainUserToDeadLetters();
            return;
        }
        Schedule();
    }

    /// <summary>Enqueues a system message; after termination only watches are answered.</summary>
    public void SendSystemMessage(SystemMessage message)
    {
        Push(ref _systemInbox, new Envelope(message, null));

        if ((Volatile.Read(ref _status) & Closed) != 0)
        {
            DrainSystemAfterClose();
            return;
        }
        Schedule();
    }

    /// <summary>Lock-free push onto a producer stack; the running thread takes the whole stack at once, so there is no ABA.</summary>
    private static void Push(ref Envelope? stack, Envelope envelope)
    {
        Envelope? head;
        do
        {
            head = Volatile.Read(ref stack);
            envelope.Next = head;
        }
        while (Interlocked.CompareExchange(ref stack, envelope, head) != head);
    }

    private void Schedule()
    {
        int status;
        do
        {
            status = Volatile.Read(ref _status);
            if ((status & (Scheduled | Closed)) != 0)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _status, status | Scheduled, status) != status);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    private bool CanProcessUser => _suspendCount == 0 && !_asyncPending && _state == LifecycleState.Running;

    private bool HasUserMessages =>
        _drain is not null || Volatile.Read(ref _inbox) is not null || _x?.Prepended is { Count: > 0 };

    void IThreadPoolWorkItem.Execute()
    {
        var previous = t_current;
        t_current = this;
        var budget = _system.Settings.Throughput;
        try
        {
            ProcessSystemMessages();
            while (budget > 0 && CanProcessUser)
            {
                var envelope = TakeUser();
                if (envelope is null)
                {
                    break;
                }
                budget--;
                InvokeUser(envelope);
                if (Volatile.Read(ref _systemInbox) is not null)
                {
                    ProcessSystemMessages();
                }
            }
        }
        finally
        {
            t_current = previous;
        }

        if (budget == 0 && CanProcessUser && HasUserMessages)
        {
            // Out of budget with work left: stay scheduled and go to the back of the global queue, so other actors get the thread.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }
        Interlocked.And(ref _status, ~Scheduled);
        if (Volatile.Read(ref _systemInbox) is not null || (CanProcessUser && HasUserMessages))
        {
            Schedule();
        }
    }

    private Envelope? TakeUser()
    {
        if (_x?.Prepended is { Count: > 0 } prepended)
        {
            var first = prepended.First!.Value;
            prepended.RemoveFirst();
            return first;
        }
        if (_drain is null)
        {
            if (Volatile.Read(ref _inbox) is null)
            {
                return null;
            }
            _drain = Reverse(Interlocked.Exchange(ref _inbox, null));
        }
        var envelope = _drain!;
        _drain = envelope.Next;
        envelope.Next = null;
        return envelope;
    }

    private static Envelope? Reverse(Envelope? stack)
    {
        Envelope? reversed = null;
        while (stack is not null)
        {
            var next = stack.Next;
            stack.Next = reversed;
            reversed = stack;
            stack = next;
        }
        return reversed;
    }

    private void ProcessSystemMessages()
    {
        while (Volatile.Read(ref _systemInbox) is not null)
        {
            var batch = Reverse(Interlocked.Exchange(ref _systemInbox, null));
            while (batch is not null)
            {
                var message = (SystemMessage)batch.Message;
                batch = batch.Next;
                if (_state == LifecycleState.Terminated)
                {
                    AnswerAfterTermination(message);
                    continue;
                }
                try
                {
                    HandleSystemMessage(message);
                }
                catch (Exception e)
                {
                    HandleInvokeFailure(e);
                }
            }
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Create:
                DoCreate();
                break;
            case Terminate:
                DoTerminate();
                break;
            case Suspend:
                SuspendSelfAndChildren();
                break;
            case Resume resume:
                ResumeSelfAndChildren(resume.CausedByFailure is not null);
                break;
            case Recreate recreate:
                DoRecreate(recreate.Cause);
                break;
            case Failed failed:
                HandleFailed(failed);
                break;
            case Watch watch:
                AddWatcher(watch);
                break;
            case Unwatch unwatch:
                RemoveWatcher(unwatch);
                break;
            case DeathWatchNotification notification:
                WatchedActorTerminated(notification);
                break;
            case RunContinuation continuation:
                RunAsyncContinuation(continuation);
                break;
            case AsyncHandlerCompleted completed:
                FinishAsyncHandler(completed.Task);
                break;
            default:
                _system.Log.Error("Unknown system message {MessageType} for {Path}", message.GetType().Name, _self.Path);
                break;
        }
    }

    private void InvokeUser(Envelope envelope)
    {
        _current = envelope;
        var message = envelope.Message;
        try
        {
            if (message is IAutoReceivedMessage)
            {
                AutoReceive(message);
            }
            else
            {
                ReceiveMessage(message);
            }
            if (_x is not null && message is not INotInfluenceReceiveTimeout)
            {
                RestartReceiveTimeout();
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            if (!_asyncPending)
            {
                _current = null;
            }
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        var handled = _x?.Behaviors is { Count: > 0 } behaviors ? behaviors[^1](message) : actor.Receive(message);
        if (!handled)
        {
            actor.InvokeUnhandled(message);
        }
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case PoisonPill:
                Stop(_self);
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, _self), _self);
                break;
            case WatchedTerminated watched:
                if (_x?.TerminatedQueued?.Remove(watched.Actor) == true)
                {
                    _current = new Envelope(watched.Message, watched.Actor);
                    ReceiveMessage(watched.Message);
                }
                break;
            case TimerScheduler.TimerMessage timer:
                if (_x?.Timers?.Accept(timer) == true)
                {
                    _current = new Envelope(timer.Message, _self);
                    ReceiveMessage(timer.Message);
                }
                break;
            default:
                ReceiveMessage(message);
                break;
        }
    }

    /// <summary>Puts envelopes in front of the mailbox, in the given order (used by unstash).</summary>
    public void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        var prepended = X.Prepended ??= new LinkedList<Envelope>();
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            prepended.AddFirst(envelopes[i]);
        }
    }

    public Envelope? CurrentEnvelope => _current;

    private void CloseMailbox()
    {
        Interlocked.Or(ref _status, Closed);
        DrainUserToDeadLetters();
        DrainSystemAfterClose();
    }

    private void DrainUserToDeadLetters()
    {
        var dead = new List<Envelope>();
        if (_x?.Prepended is { Count: > 0 } prepended && t_current == this)
        {
            dead.AddRange(prepended);
            prepended.Clear();
        }
        if (t_current == this)
        {
            for (var e = _drain; e is not null; e = e.Next)
            {
                dead.Add(e);
            }
            _drain = null;
        }
        for (var e = Reverse(Interlocked.Exchange(ref _inbox, null)); e is not null; e = e.Next)
        {
            dead.Add(e);
        }
        foreach (var envelope in dead)
        {
            if (envelope.Message is WatchedTerminated or TimerScheduler.TimerMessage or PoisonPill)
            {
                continue;
            }
            _system.DeadLetterRef.Publish(envelope.Message, envelope.Sender, _self);
        }
    }

    private void DrainSystemAfterClose()
    {
        for (var e = Reverse(Interlocked.Exchange(ref _systemInbox, null)); e is not null; e = e.Next)
        {
            AnswerAfterTermination((SystemMessage)e.Message);
        }
    }

    private void AnswerAfterTermination(SystemMessage message)
    {
        if (message is Watch watch && !watch.Watcher.Equals(_self))
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(_self, ExistenceConfirmed: false, AddressTerminated: false));
        }
    }
}
