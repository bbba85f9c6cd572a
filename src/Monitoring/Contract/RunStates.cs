namespace StreamMonitor.Monitoring;

/// <summary>What a <see cref="RunState"/> implies.</summary>
public static class RunStates
{
    /// <summary>Whether a run in <paramref name="state"/> is over: nothing follows it any more.</summary>
    public static bool IsEnded(this RunState state) => state is RunState.Stopped or RunState.Finished or RunState.Failed or RunState.Removed;

    /// <summary>Whether a run in <paramref name="state"/> is followed (has a pipeline while active).</summary>
    public static bool IsLive(this RunState state) => state is RunState.Registered or RunState.Following or RunState.Stalled or RunState.Committed or RunState.Stopping;

    /// <summary>Reads a state's contract name (<c>following</c>, ...), case-insensitively.</summary>
    public static bool TryParse(string? text, out RunState state)
    {
        state = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var name = text.Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse(name, ignoreCase: true, out state) && Enum.IsDefined(state) && !int.TryParse(text, out _);
    }

    /// <summary>The contract names of every state, for messages.</summary>
    public static IEnumerable<string> Names => Enum.GetValues<RunState>().Select(Name);

    /// <summary>The state's contract name, as the JSON gives it (<c>following</c>, ...).</summary>
    public static string Name(this RunState state) => state.ToString().ToLowerInvariant();
}
