using System.Globalization;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Notices a run that stopped writing frames: <see cref="Observe"/> records when each frame arrived, and
/// <see cref="Check"/>, called on a clock, returns a <see cref="RunEventKinds.Stall"/> event once the silence since
/// the last frame reaches <see cref="Timeout"/> (see <see cref="StallOptions"/>). One event per stall: the next frame
/// re-arms it. Before the first frame nothing can stall (the run may not have started). Times are passed in, never
/// read from a clock, so a grain's timer and a test's fixed timestamps drive it alike.
/// </summary>
public sealed class StallDetector
{
    private readonly StallOptions _options;
    private readonly string _runId;
    private readonly ArrivalIntervals _intervals;
    private FrameSummary? _last;
    private DateTimeOffset _lastArrival;
    private bool _reported;

    public StallDetector(string runId, StallOptions? options = null)
    {
        _runId = runId;
        _options = options ?? new StallOptions();
        _options.Validate();
        _intervals = new ArrivalIntervals(_options.Window);
    }

    /// <summary>The silence that counts as a stall now.</summary>
    public TimeSpan Timeout => _intervals.Count >= _options.MinimumIntervals
        ? Max(_options.Minimum, _intervals.Median() * _options.Multiple)
        : Max(_options.Minimum, _options.Initial);

    public void Observe(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        if (_last is not null) _intervals.Add(arrivedAt - _lastArrival);
        _last = summary;
        _lastArrival = arrivedAt;
        _reported = false;
    }

    /// <summary>The stall event, the first time the silence reaches the timeout since the last frame; otherwise null.</summary>
    public RunEvent? Check(DateTimeOffset now)
    {
        if (_last is null || _reported) return null;
        var silence = now - _lastArrival;
        var timeout = Timeout;
        if (silence < timeout) return null;
        _reported = true;
        var median = _intervals.Median();
        var message = string.Create(CultureInfo.InvariantCulture,
            $"no new frame for {silence.TotalSeconds:0.#} s since frame {_last.Frame} (timeout {timeout.TotalSeconds:0.#} s, median interval {median.TotalSeconds:0.###} s)");
        return new RunEvent
        {
            RunId = _runId,
            Kind = RunEventKinds.Stall,
            Frame = _last.Frame,
            Step = _last.Step,
            Time = _last.Time,
            Message = message,
            Values = new Dictionary<string, double>
            {
                ["silence_s"] = silence.TotalSeconds,
                ["timeout_s"] = timeout.TotalSeconds,
                ["median_interval_s"] = median.TotalSeconds,
                ["intervals"] = _intervals.Count,
            },
            At = now,
        };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
