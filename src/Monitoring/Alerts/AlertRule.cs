using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// An admin's rule: which runs (<see cref="Runs"/>, a <see cref="RunGlob"/>), when (<see cref="When"/>), how urgent, and
/// which of the server's configured webhooks to call besides the page. Webhooks are named, never given by URL: the
/// server's configuration decides where it may post.
/// </summary>
public sealed record AlertRule
{
    public required string Id { get; init; }

    public AlertSeverity Severity { get; init; } = AlertSeverity.Warning;

    public string Runs { get; init; } = RunGlob.Any;

    public required AlertCondition When { get; init; }

    public IReadOnlyList<string> Webhooks { get; init; } = [];

    public bool Enabled { get; init; } = true;

    public bool Watches(string runId) => Enabled && RunGlob.Matches(Runs, runId);

    /// <summary>What is wrong with the rule, one "field: problem" line each; empty when it is valid.</summary>
    /// <param name="webhooks">The names of the webhooks the server has configured.</param>
    public IReadOnlyList<string> Problems(IReadOnlyCollection<string> webhooks)
    {
        var problems = new List<string>();
        if (!RunIds.IsValid(Id)) problems.Add($"id: '{Id}' is not valid: it must be {RunIds.Rule}");
        if (!Enum.IsDefined(Severity)) problems.Add($"severity: must be one of info, warning, critical");
        if (!RunGlob.IsValid(Runs)) problems.Add($"runs: '{Runs}' is not valid: it must be {RunGlob.Rule}");
        if (When is null) problems.Add("when: missing: give one of event, quantity (with op, value, for_frames) or no_frame_for");
        else problems.AddRange(ConditionProblems(When));
        var names = Webhooks ?? [];
        for (int i = 0; i < names.Count; i++)
            if (!webhooks.Contains(names[i]))
                problems.Add($"webhooks[{i}]: no webhook '{names[i]}' is configured on the server ({(webhooks.Count == 0 ? "none is" : $"configured: {string.Join(", ", webhooks)}")})");
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count) problems.Add("webhooks: a webhook is named twice");
        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem (<see cref="Problems"/>).</summary>
    public AlertRule Validate(IReadOnlyCollection<string> webhooks)
    {
        var problems = Problems(webhooks);
        return problems.Count == 0 ? this : throw new ArgumentException($"rule '{Id}': {string.Join("; ", problems)}");
    }

    private static IEnumerable<string> ConditionProblems(AlertCondition when)
    {
        int forms = (when.IsEvent ? 1 : 0) + (when.IsQuantity ? 1 : 0) + (when.IsNoFrame ? 1 : 0);
        if (forms != 1)
        {
            yield return $"when: give exactly one of event, quantity or no_frame_for (got {(forms == 0 ? "none" : "several")})";
            yield break;
        }
        if (when.IsEvent && !EventKinds.Contains(when.Event!))
            yield return $"when.event: unknown event kind '{when.Event}' (known: {string.Join(", ", EventKinds)})";
        if (!when.IsQuantity)
        {
            foreach (var (name, given) in new[] { ("op", when.Op is not null), ("value", when.Value is not null), ("for_frames", when.ForFrames is not null) })
                if (given) yield return $"when.{name}: only a quantity rule takes it";
        }
        else
        {
            if (!SummaryQuantities.IsKnown(when.Quantity!)) yield return $"when.quantity: unknown quantity '{when.Quantity}' (known: {SummaryQuantities.Known})";
            if (when.Op is null || !AlertCondition.Operators.Contains(when.Op))
                yield return $"when.op: {(when.Op is null ? "missing" : $"'{when.Op}' is not an operator")} (one of {string.Join(" ", AlertCondition.Operators)})";
            if (when.Value is not { } value || !double.IsFinite(value)) yield return "when.value: missing: a finite number to compare the quantity with";
            if (when.ForFrames is < 1 or > AlertCondition.MaxForFrames) yield return $"when.for_frames: must be 1..{AlertCondition.MaxForFrames}, got {when.ForFrames}";
        }
        if (when.NoFrameFor is { } silence && silence < TimeSpan.FromSeconds(1)) yield return $"when.no_frame_for: must be at least 1 s, got {silence.TotalSeconds}";
    }

    /// <summary>The event kinds a rule may name: the detectors' and stops.</summary>
    public static IReadOnlyList<string> EventKinds { get; } = [.. RunEventKinds.Detected, RunEventKinds.Stop];
}
