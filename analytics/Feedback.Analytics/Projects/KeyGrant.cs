namespace Feedback.Analytics.Projects;

/// <summary>What a key grants: access of one kind (<see cref="KeyKind"/>) to one project.</summary>
public sealed record KeyGrant(string Project, string Kind);
