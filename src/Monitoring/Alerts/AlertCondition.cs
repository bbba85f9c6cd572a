using System.Text.Json.Serialization;

namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// When a rule fires, one of three forms: an event of a kind (<c>{"event": "nucleation"}</c>), a summary quantity
/// compared with a value for a number of consecutive frames (<c>{"quantity": "n_max", "op": ">", "value": 500,
/// "for_frames": 3}</c>), or a run that has recorded no frame for a while (<c>{"no_frame_for": 600}</c>, seconds).
/// </summary>
public sealed record AlertCondition
{
    public static IReadOnlyList<string> Operators { get; } = [">", ">=", "<", "<=", "==", "!="];

    /// <summary>The longest streak a quantity rule may ask for.</summary>
    public const int MaxForFrames = 100_000;

    /// <summary>A <see cref="RunEvent.Kind"/> (<see cref="RunEventKinds"/>).</summary>
    public string? Event { get; init; }

    /// <summary>A summary quantity by name (<c>SummaryQuantities</c>: <c>n_max</c>, <c>class:NAME</c>, ...).</summary>
    public string? Quantity { get; init; }

    /// <summary>One of <see cref="Operators"/>: the quantity on the left, <see cref="Value"/> on the right.</summary>
    public string? Op { get; init; }

    public double? Value { get; init; }

    /// <summary>Consecutive frames the comparison must hold for; 1 when not given.</summary>
    public int? ForFrames { get; init; }

    /// <summary>How long a live run may go without recording a frame.</summary>
    public TimeSpan? NoFrameFor { get; init; }

    [JsonIgnore]
    public bool IsEvent => Event is not null;

    [JsonIgnore]
    public bool IsQuantity => Quantity is not null;

    [JsonIgnore]
    public bool IsNoFrame => NoFrameFor is not null;

    [JsonIgnore]
    public int Frames => ForFrames ?? 1;

    /// <summary>Whether <paramref name="quantity"/> meets the comparison (false for a value the frame does not carry).</summary>
    public bool Holds(double? quantity) => quantity is { } q && Value is { } v && Op switch
    {
        ">" => q > v,
        ">=" => q >= v,
        "<" => q < v,
        "<=" => q <= v,
        "==" => q == v,
        "!=" => q != v,
        _ => false,
    };

    /// <summary>The condition as a person writes it: <c>n_max &gt; 500 for 3 frames</c>, <c>event nucleation</c>, <c>no frame for 600 s</c>.</summary>
    public override string ToString() =>
        IsEvent ? $"event {Event}"
        : IsQuantity ? $"{Quantity} {Op} {Value} for {Frames} frame{(Frames == 1 ? "" : "s")}"
        : $"no frame for {NoFrameFor?.TotalSeconds} s";
}
