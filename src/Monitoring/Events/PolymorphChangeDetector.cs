using System.Globalization;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Fires <see cref="RunEventKinds.PolymorphChange"/> when <see cref="FrameSummary.DominantCrystal"/> moves from one
/// crystalline class to another and the new one stays dominant for k frames, stamped with the first of them; Labels
/// carry <c>previous</c> and <c>new</c>. The run's first polymorph is settled the same way, without an event. Going
/// back is a change like any other and needs its own k frames, so a lead that flips every frame never fires.
/// </summary>
public sealed class PolymorphChangeDetector : IFrameDetector
{
    private readonly PolymorphChangeOptions _options;
    private readonly FrameStreak _streak;
    private string? _current;
    private string? _candidate;

    public PolymorphChangeDetector(PolymorphChangeOptions? options = null)
    {
        _options = options ?? new PolymorphChangeOptions();
        _options.Validate();
        _streak = new FrameStreak(_options.Consecutive);
    }

    public string Kind => RunEventKinds.PolymorphChange;

    /// <summary>The settled dominant class; null until one has held for k frames.</summary>
    public string? Current => _current;

    public IReadOnlyList<RunEvent> Observe(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        var dominant = summary.DominantCrystal is { } d && summary.CountOf(d) >= _options.MinimumCount ? d : null;
        if (dominant != _candidate)
        {
            _streak.Reset();
            _candidate = dominant;
        }
        if (dominant is null || dominant == _current || !_streak.Advance(true, summary)) return [];

        var first = _streak.First!;
        var previous = _current;
        _current = dominant;
        _streak.Reset();
        if (previous is null) return [];
        var message = string.Create(CultureInfo.InvariantCulture,
            $"dominant crystal changed from {previous} to {dominant} at frame {first.Frame} and held for {_options.Consecutive} frames");
        return
        [
            FrameEvents.Create(Kind, first, arrivedAt, message,
                new() { ["previous_count"] = first.CountOf(previous), ["new_count"] = first.CountOf(dominant), ["consecutive"] = _options.Consecutive },
                new() { ["previous"] = previous, ["new"] = dominant }),
        ];
    }

    public void Reset()
    {
        _streak.Reset();
        _current = null;
        _candidate = null;
    }
}
