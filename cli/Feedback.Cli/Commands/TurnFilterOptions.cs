using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using Feedback.Analytics.Projects;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Commands;

/// <summary>The options <c>trends</c> and <c>compare</c> share: project, range, filters and --json.</summary>
public sealed class TurnFilterOptions
{
    private readonly Option<string> project = new("--project") { Description = "The project", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
    private readonly Option<DateTimeOffset?> from = new("--from") { Description = "Turns at or after this time (ISO 8601; default: 30 days before --to)" };
    private readonly Option<DateTimeOffset?> to = new("--to") { Description = "Turns before this time (default: now)" };
    private readonly Option<string[]> model = new("--model") { Description = "Only these models", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> modelVersion = new("--model-version") { Description = "Only these model versions", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> promptTemplate = new("--prompt-template") { Description = "Only these prompt templates", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> stage = new("--stage") { Description = "Only these pipeline stages", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> metadata = new("--metadata") { Description = "Only turns whose metadata has KEY=VALUE (repeatable)" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the read API's JSON instead of a table" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { project, from, to, model, modelVersion, promptTemplate, stage, metadata, Json }) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(metadata) ?? []).Any(m => m.IndexOf('=', StringComparison.Ordinal) <= 0)) result.AddError("--metadata is KEY=VALUE");
        });
    }

    public string Project(ParseResult result) => result.GetValue(project)!;

    public T Read<T>(ParseResult result, T query)
        where T : TurnFilterQuery
    {
        query.From = result.GetValue(from);
        query.To = result.GetValue(to);
        query.Models = result.GetValue(model) ?? [];
        query.ModelVersions = result.GetValue(modelVersion) ?? [];
        query.PromptTemplates = result.GetValue(promptTemplate) ?? [];
        query.Stages = result.GetValue(stage) ?? [];
        query.Metadata = (result.GetValue(metadata) ?? []).Select(m => m.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        return query;
    }

    /// <summary>Prints why the query is invalid, as the read API's validation would answer it; true when it is.</summary>
    public static bool Invalid(TurnFilterQuery query)
    {
        var problems = new List<ValidationResult>();
        if (Validator.TryValidateObject(query, new ValidationContext(query), problems, validateAllProperties: true)) return false;
        foreach (var problem in problems) Console.Error.WriteLine(problem.ErrorMessage);
        return true;
    }
}
