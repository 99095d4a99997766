using Feedback.Analytics.Projects;

namespace Feedback.Server.Auth;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;review key&gt;</c>: labels written by people change the mined data, so a
/// read key (handed to analysts and pipelines) may not write them, nor a write key (inside apps).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ReviewKeyAttribute() : ProjectKeyAttribute(KeyKind.Review);
