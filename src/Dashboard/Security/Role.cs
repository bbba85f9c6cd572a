namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// What a principal may do, each role including the ones below it: a viewer reads, an operator also stops runs and
/// acknowledges alerts, an admin also registers and removes runs and edits rules. Ordered so that
/// <c>role &gt;= needed</c> is the check.
/// </summary>
public enum Role
{
    Viewer = 1,
    Operator = 2,
    Admin = 3,
}
