using Feedback.Analytics.Projects;

namespace Feedback.Server.Auth;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;read key&gt;</c> (or a review key, which reads too) and makes the key's
/// project the request's project. A write key is refused (403): keys in SDKs ship inside apps, so they must not read
/// data back. Only the header is read: a read key never travels in a URL.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ReadKeyAttribute() : ProjectKeyAttribute(KeyKind.Read, KeyKind.Review);
