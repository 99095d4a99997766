namespace Feedback.Analytics.Export;

/// <summary>A user <see cref="OutlierUsers"/> flags: their clear labels, how many negative, and why.</summary>
public sealed record OutlierUser(string UserId, long Labels, long Negative, string Reason);
