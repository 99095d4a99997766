using System.Globalization;
using System.Text.RegularExpressions;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Reviews;
using Feedback.Cli.Backends;
using Spectre.Console;

namespace Feedback.Cli.Reviews;

/// <summary>
/// The terminal review flow of <c>feedback review</c> (docs/reviews.md): each follow-up of the queue in turn, one
/// key per verdict (Enter or y confirms the proposed label, a digit picks a label, s skips, b goes back, q quits).
/// Verdicts go to the store every <see cref="BatchSize"/> and at the end, so a dying terminal loses at most a few.
/// </summary>
public sealed partial class ReviewSession(IReviews reviews, IAnsiConsole console, ReviewKeys keys)
{
    public const int BatchSize = 10;

    // Enough of each text to judge the follow-up; whole answers would push the item off the screen.
    private const int ShownRequest = 300;
    private const int ShownResponse = 400;
    private const int ShownFollowUp = 500;

    private enum Move { Label, Back, Quit }

    /// <summary>Reviews up to <paramref name="limit"/> follow-ups of the queue; 0, or 1 when any verdict was refused.</summary>
    public async Task<int> RunAsync(string project, string reviewer, int limit, CancellationToken cancellationToken)
    {
        var page = await reviews.ReadQueueAsync(project, limit, cancellationToken);
        var items = page.Items;
        if (items.Count == 0)
        {
            console.WriteLine($"Nothing to review in project '{project}'.");
            return 0;
        }
        console.WriteLine($"{page.Pending} follow-ups of project '{project}' wait for review; here are the first {items.Count}, reviewed as {reviewer}.");
        console.MarkupLine(Legend());
        var verdicts = new string?[items.Count];
        var unsent = new SortedDictionary<int, FollowUpReview>();
        var (stored, rejected) = (0, 0);
        async Task SendAsync()
        {
            if (unsent.Count == 0) return;
            var outcome = await reviews.SubmitAsync(project, reviewer, [.. unsent.Values], cancellationToken);
            unsent.Clear();
            stored += outcome.Stored;
            rejected += outcome.Rejected.Count;
            foreach (var refused in outcome.Rejected)
                console.MarkupLineInterpolated($"[red]Not stored[/] {refused.EventId}: {refused.Reason}");
        }

        var index = 0;
        while (index < items.Count)
        {
            var item = items[index];
            Show(item, index, items.Count);
            var (move, label) = Ask(item);
            if (move == Move.Quit) break;
            if (move == Move.Back)
            {
                if (index == 0)
                {
                    console.WriteLine("This is the first follow-up: nothing to go back to.");
                    continue;
                }
                // Not sent yet: forget it. Sent already: the new verdict replaces it (the last review counts).
                index--;
                unsent.Remove(index);
                verdicts[index] = null;
                continue;
            }
            verdicts[index] = label;
            unsent[index] = new FollowUpReview(item.EventId, label!);
            index++;
            if (unsent.Count >= BatchSize) await SendAsync();
        }
        await SendAsync();

        var decided = verdicts.Select((v, i) => (Verdict: v, items[i].ProposedLabel)).Where(d => d.Verdict is not null).ToList();
        var skipped = decided.Count(d => d.Verdict == FollowUpReview.Skip);
        var confirmed = decided.Count(d => d.Verdict == d.ProposedLabel);
        console.WriteLine(
            $"Stored {stored} reviews: {confirmed} confirmed, {decided.Count - confirmed - skipped} relabelled, {skipped} skipped" +
            (rejected > 0 ? $"; {rejected} refused." : ".") +
            (index < items.Count ? $" Stopped at {index + 1} of {items.Count}." : "") +
            " The next mining run applies them.");
        return rejected > 0 ? 1 : 0;
    }

    /// <summary>What each key does, labels numbered in the taxonomy's order.</summary>
    public static string Legend() =>
        "[bold]Enter[/]/[bold]y[/] confirm  " +
        string.Join("  ", FollowUpLabels.All.Select((l, i) => $"[bold]{i + 1}[/] {l}")) +
        "  [bold]s[/] skip  [bold]b[/] back  [bold]q[/] quit";

    private (Move Move, string? Label) Ask(ReviewQueueItem item)
    {
        while (true)
        {
            var key = keys.Next();
            console.WriteLine(key is "" ? "Enter" : key ?? "");
            switch (key)
            {
                case null or "q":
                    return (Move.Quit, null);
                case "" or "y":
                    return (Move.Label, item.ProposedLabel);
                case "s" or FollowUpReview.Skip:
                    return (Move.Label, FollowUpReview.Skip);
                case "b":
                    return (Move.Back, null);
            }
            if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= FollowUpLabels.All.Count)
                return (Move.Label, FollowUpLabels.All[number - 1]);
            if (FollowUpLabels.All.Contains(key)) return (Move.Label, key);
            console.MarkupLineInterpolated($"[yellow]Unknown key '{key}'.[/]");
            console.MarkupLine(Legend());
            console.Write("Your verdict: ");
        }
    }

    private void Show(ReviewQueueItem item, int index, int count)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Markup("[grey]Request[/]"), new Text(Shorten(item.Request, ShownRequest)));
        grid.AddRow(new Markup("[grey]Answer[/]"), new Text(Shorten(item.Response, ShownResponse)));
        grid.AddRow(new Markup("[grey]Follow-up[/]"), new Text(Shorten(item.FollowUp, ShownFollowUp)));
        var number = FollowUpLabels.All.ToList().IndexOf(item.ProposedLabel) + 1;
        grid.AddRow(new Markup("[grey]Proposed[/]"), new Markup(
            $"[bold]{Markup.Escape(item.ProposedLabel)}[/] ({number}), confidence {item.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}, by {Markup.Escape(item.ProposedBy)}"));
        if (item.Disagreement is { } disagreement) grid.AddRow(new Markup("[grey]Disagrees[/]"), new Markup($"[yellow]{Markup.Escape(disagreement)}[/]"));
        console.Write(new Panel(grid).Header($"{index + 1} of {count}").Expand());
        console.Write(new Markup($"Enter/y confirm [bold]{Markup.Escape(item.ProposedLabel)}[/], 1-{FollowUpLabels.All.Count} label, s skip, b back, q quit: "));
    }

    /// <summary>The text on one line, cut at <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Shorten(string text, int max)
    {
        var line = Whitespace().Replace(text, " ").Trim();
        return line.Length <= max ? line : line[..(max - 1)].TrimEnd() + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
