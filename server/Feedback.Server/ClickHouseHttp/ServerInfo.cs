namespace Feedback.Server.ClickHouseHttp;

/// <summary>What the server says about itself in headers and error texts, read from the engine once.</summary>
internal sealed record ServerInfo(string Timezone, string DisplayName, string Version);
