namespace StreamMonitor.Contracts.Audit;

/// <summary>The <see cref="AuditEntry.Action"/> names.</summary>
public static class AuditActions
{
    public const string Register = "register";
    public const string Stop = "stop";
    public const string Remove = "remove";
    public const string Purge = "purge";
    public const string EditRules = "edit_rules";
    public const string Acknowledge = "acknowledge";
    public const string Snooze = "snooze";
}
