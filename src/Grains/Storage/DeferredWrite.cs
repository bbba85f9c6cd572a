namespace StreamMonitor.Grains.Storage;

/// <summary>
/// Writes a grain's state at most once per period however often it changes: many small changes (a run's progress, an
/// audit line per registration of a campaign's thousands of shots) cost one write of the whole state, not one each.
/// The owner calls <see cref="Changed"/> after each change and <see cref="FlushAsync"/> on deactivation; what changed
/// in the last period before a crash is lost, so owners keep only what can be told again.
/// </summary>
public sealed class DeferredWrite(IGrainBase grain, Func<Task> write, TimeSpan period)
{
    private bool _changed;
    private IGrainTimer? _timer;

    public void Changed()
    {
        _changed = true;
        _timer ??= grain.RegisterGrainTimer(async _ =>
        {
            _timer?.Dispose();
            _timer = null;
            await FlushAsync();
        }, new GrainTimerCreationOptions(period, Timeout.InfiniteTimeSpan));
    }

    /// <summary>Writes now if anything changed since the last write.</summary>
    public async Task FlushAsync()
    {
        if (!_changed) return;
        _changed = false;
        try
        {
            await write();
        }
        catch
        {
            Changed(); // tried again next period
            throw;
        }
    }
}
