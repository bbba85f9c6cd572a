namespace StreamMonitor.Classification.Oracles;

/// <summary>An oracle could not label a frame: its external program is missing or failed, or its answer does not fit the frame.</summary>
public sealed class OracleException(string message) : Exception(message);
