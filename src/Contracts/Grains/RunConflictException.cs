namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// A run cannot do what was asked in its current state: registered again with a different configuration (the message
/// names the differences), or stopped after it ended. The API answers it with 409 Conflict.
/// </summary>
[GenerateSerializer]
public sealed class RunConflictException(string message) : Exception(message);
