using System.Diagnostics;
using System.Text.Json.Nodes;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Tests.Mining;

/// <summary>The `feedback classify` contract: JSON Lines in, the same objects with label and confidence out.</summary>
public sealed class ClassifyCommandTests
{
    private static readonly Lazy<FollowUpClassifier> Shipped = new(FollowUpClassifier.LoadShipped);

    [Fact]
    public async Task Each_line_gets_a_label_and_a_confidence_in_input_order_keeping_other_fields()
    {
        var (code, stdout, stderr) = await ClassifyAsync(
            """{"id":1,"prompt":"Capital of France?","response":"Lyon.","followup":"No, it's Paris, not Lyon.","meta":{"user":"u1"}}""",
            """{"id":2,"prompt":"2+2?","response":"4","followup":"thanks, that worked!"}""",
            """{"followup":"Are you sure?","response":"Sydney.","prompt":"Capital of Australia?","id":3}""");

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var rows = Lines(stdout).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal([1, 2, 3], rows.Select(r => (int)r["id"]!));
        Assert.Equal("u1", (string)rows[0]["meta"]!["user"]!);
        Assert.Equal("No, it's Paris, not Lyon.", (string)rows[0]["followup"]!);
        Assert.Equal(["correction", "positive", "clarification"], rows.Select(r => (string)r["label"]!));
        Assert.All(rows, r => Assert.InRange((double)r["confidence"]!, 0, 1));
    }

    [Fact]
    public async Task Bad_lines_are_reported_by_number_the_others_are_still_classified_and_the_exit_code_is_non_zero()
    {
        var (code, stdout, stderr) = await ClassifyAsync(
            """{"id":1,"prompt":"p","response":"r","followup":"thank you!"}""",
            "not json",
            """{"id":3,"prompt":"p","response":"r"}""",
            """{"id":4,"prompt":"p","response":"r","followup":42}""",
            """["prompt","response","followup"]""",
            """{"id":6,"prompt":"p","response":"r","followup":"that's wrong"}""");

        Assert.Equal(1, code);
        Assert.Equal([1, 6], Lines(stdout).Select(l => (int)JsonNode.Parse(l)!["id"]!));
        Assert.Equal(
            ["line 2: not a JSON object", "line 3: missing field \"followup\"", "line 4: field \"followup\" is not a string", "line 5: not a JSON object"],
            Lines(stderr));
    }

    [Fact]
    public async Task The_feedback_command_reads_stdin_or_a_file_without_a_store()
    {
        var input = """{"prompt":"Capital of France?","response":"Lyon.","followup":"thanks, perfect"}""" + "\n" + "{oops\n";
        var (code, stdout, stderr) = await RunFeedbackAsync(input, "classify");
        Assert.Equal(1, code);
        Assert.Equal("positive", (string)JsonNode.Parse(Assert.Single(Lines(stdout)))!["label"]!);
        Assert.Equal("line 2: not a JSON object", Assert.Single(Lines(stderr)));

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{"prompt":"Capital of France?","response":"Lyon.","followup":"That's wrong."}""" + "\n");
            (code, stdout, _) = await RunFeedbackAsync("", "classify", file);
            Assert.Equal(0, code);
            Assert.Equal("complaint", (string)JsonNode.Parse(Assert.Single(Lines(stdout)))!["label"]!);

            (code, _, stderr) = await RunFeedbackAsync("", "classify", file + ".missing");
            Assert.Equal(2, code);
            Assert.Contains("no such file", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ClassifyAsync(params string[] lines)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ClassifyJsonLines.RunAsync(new StringReader(string.Join('\n', lines)), stdout, stderr, () => Shipped.Value);
        return (code, stdout.ToString(), stderr.ToString());
    }

    // The real command in a child process, as a user's pipe runs it.
    private static async Task<(int Code, string Stdout, string Stderr)> RunFeedbackAsync(string stdin, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Feedback.Cli.CliOptions).Assembly.Location); // feedback.dll
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
