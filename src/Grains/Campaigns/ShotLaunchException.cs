namespace StreamMonitor.Grains.Campaigns;

/// <summary>A shot could not be launched: the program is missing, the submit command failed, ...</summary>
public sealed class ShotLaunchException(string message, Exception? inner = null) : Exception(message, inner);
