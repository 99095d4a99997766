namespace Feedback.Cli.Backends;

public sealed class RemoteBiasReports(HttpClient http) : IBiasReports
{
    public async Task<string> MarkdownAsync(string project, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/reports/bias?project={Uri.EscapeDataString(project)}", cancellationToken);
        await RemoteCall.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
