// The server and its tests run where signals, file modes and /proc exist.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
