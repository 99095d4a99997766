using System.CommandLine;
using Feedback.Cli.Backends;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback mine</c>: mines preference pairs now rather than waiting for the schedule.</summary>
public static class MineCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var command = new Command("mine", "Mine preference pairs now (through the running server if there is one)");
        command.SetAction(async (result, ct) =>
        {
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            var mined = await backend.Mining.RunAsync(ct);
            Console.WriteLine($"Mined {mined.TotalPairs} new pairs ({string.Join(", ", mined.Pairs.Select(p => $"{p.Value} {p.Key}"))}); signals of {mined.TurnSignals} turns derived, {mined.TurnLabels} labelled, {mined.TurnsScored} scored.");
            // Only a server configured with UseChatClientLabeler labels follow-ups with an LLM (docs/mining.md).
            if (mined.LabelledByLlm > 0) Console.WriteLine($"Labelled by LLM: {mined.LabelledByLlm} follow-ups.");
            return 0;
        });
        return command;
    }
}
