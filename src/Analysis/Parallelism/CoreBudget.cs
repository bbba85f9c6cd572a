namespace StreamMonitor.Analysis.Parallelism;

/// <summary>
/// The cores a process lends to its computations, shared by two kinds of borrower. A <em>slot</em> holds one core for a
/// whole piece of work (a frame's features, its census) and waits its turn when every core is held. A <em>loop</em>
/// (the parallel loops of neighbour lists, Steinhardt, symmetry functions, surfaces) runs on the thread that calls it
/// plus whatever cores are idle at that moment, and never waits. So two frames in the two slots of a 2-core machine
/// each run their loops on their own thread, instead of both forking onto both cores, and one frame alone still gets
/// every core for its loops.
/// </summary>
/// <remarks>
/// <para>
/// Slots are granted in order, except that a slot asked for with <c>resuming: true</c> (work that already held a slot,
/// left it to wait elsewhere and comes back to finish) goes ahead of new work: started frames finish before new ones
/// start, so a frame's latency does not stretch with the number of frames queued behind it.
/// </para>
/// <para>
/// Everything defaults to <see cref="Shared"/>, one budget of <see cref="Environment.ProcessorCount"/> cores, so the
/// computes of a process share one budget unless a caller builds its own (a test, a benchmark). A caller that holds no
/// slot counts its own thread as one core, as a single-run program (<c>watch</c>, <c>descriptors</c>) does.
/// </para>
/// </remarks>
public sealed class CoreBudget
{
    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource> _resuming = new();
    private readonly LinkedList<TaskCompletionSource> _waiting = new();
    private int _idle;

    public CoreBudget(int cores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1);
        Cores = cores;
        _idle = cores;
    }

    /// <summary>The process's budget: every core.</summary>
    public static CoreBudget Shared { get; } = new(Environment.ProcessorCount);

    public int Cores { get; }

    /// <summary>Cores neither held by a slot nor lent to a loop right now.</summary>
    public int Idle
    {
        get
        {
            lock (_gate) return _idle;
        }
    }

    /// <summary>Slots waited for right now: the queue of frames behind the cores.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _resuming.Count + _waiting.Count;
        }
    }

    /// <summary>Waits for a core and holds it until <see cref="ReleaseSlot"/>.</summary>
    /// <param name="resuming">Work that held a slot before and comes back to finish: served before new work.</param>
    public Task AcquireSlotAsync(bool resuming = false, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_idle > 0 && _resuming.Count == 0 && _waiting.Count == 0)
            {
                _idle--;
                return Task.CompletedTask;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (resuming ? _resuming : _waiting).AddLast(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is null) return; // already granted: the holder releases it
                    node.List.Remove(node);
                }
                waiter.TrySetCanceled(cancellationToken);
            });
            waiter.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return waiter.Task;
    }

    /// <summary>Gives back a core taken by <see cref="AcquireSlotAsync"/>: to the next slot waiting, else to the idle ones.</summary>
    public void ReleaseSlot() => Return(1);

    /// <summary>
    /// Cores for a loop of <paramref name="work"/> independent pieces: the calling thread and up to
    /// <paramref name="work"/> − 1 idle cores (never more than <see cref="Cores"/> in all), taken without waiting and
    /// given back when the lease is disposed.
    /// </summary>
    public CoreLease Borrow(int work)
    {
        int wanted = Math.Min(work, Cores) - 1;
        if (wanted <= 0) return new CoreLease(this, 0);
        lock (_gate)
        {
            int taken = Math.Min(wanted, _idle);
            _idle -= taken;
            return new CoreLease(this, taken);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> for 0 … <paramref name="count"/> − 1 on the cores <see cref="Borrow"/> gives: on the
    /// calling thread alone when none is idle. The body must not depend on which thread runs which index.
    /// </summary>
    public void For(int count, Action<int> body, int maxDegreeOfParallelism = -1)
    {
        using var lease = Borrow(Cap(count, maxDegreeOfParallelism));
        if (lease.DegreeOfParallelism == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Unwrapped(() => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = lease.DegreeOfParallelism }, body));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(first, end) over [0, <paramref name="n"/>) in consecutive stretches of
    /// <paramref name="stretch"/> items (one stretch, maybe empty, when n is no more than that) on the cores
    /// <see cref="For(int, Action{int}, int)"/> gives, and returns their results in stretch order. The stretches depend on
    /// n and the stretch length only, so sums of the results taken in that order do not depend on the cores lent.
    /// </summary>
    public T[] InStretches<T>(int n, int stretch, Func<int, int, T> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(stretch, 1);
        int stretches = n <= stretch ? 1 : (int)(((long)n + stretch - 1) / stretch);
        var results = new T[stretches];
        For(stretches, k => results[k] = body((int)Math.Min(n, (long)k * stretch), (int)Math.Min(n, (k + 1L) * stretch)));
        return results;
    }

    /// <summary>As <see cref="For(int, Action{int}, int)"/>, with per-thread state made by <paramref name="local"/> (scratch arrays).</summary>
    public void For<TLocal>(int count, Func<TLocal> local, Action<int, TLocal> body, int maxDegreeOfParallelism = -1)
    {
        using var lease = Borrow(Cap(count, maxDegreeOfParallelism));
        if (lease.DegreeOfParallelism == 1)
        {
            var state = local();
            for (int i = 0; i < count; i++) body(i, state);
            return;
        }
        Unwrapped(() => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = lease.DegreeOfParallelism }, local,
            (i, _, state) =>
            {
                body(i, state);
                return state;
            },
            _ => { }));
    }

    /// <summary>
    /// Runs a parallel loop and throws what its body threw, as the loop on the calling thread does, rather than an
    /// AggregateException: a loop's error must not depend on how many cores were idle.
    /// </summary>
    private static void Unwrapped(Action loop)
    {
        try
        {
            loop();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    private static int Cap(int count, int maxDegreeOfParallelism) =>
        maxDegreeOfParallelism > 0 ? Math.Min(count, maxDegreeOfParallelism) : count;

    internal void Return(int cores)
    {
        for (int k = 0; k < cores; k++)
        {
            TaskCompletionSource? next = null;
            lock (_gate)
            {
                var queue = _resuming.Count > 0 ? _resuming : _waiting.Count > 0 ? _waiting : null;
                if (queue is null)
                {
                    _idle++;
                }
                else
                {
                    next = queue.First!.Value;
                    queue.RemoveFirst();
                }
            }
            // A waiter cancelled between leaving the queue and here cannot happen: cancellation removes it under the lock.
            next?.SetResult();
        }
    }
}
