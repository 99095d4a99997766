using Feedback.Events;

namespace Feedback;

// What each Track call adds to the common fields of its event, as the value it hands to the shared path (Track).
public sealed partial class FeedbackClient
{
    private interface IKindFields
    {
        void WriteTo(FeedbackEvent e);
    }

    private readonly record struct TurnFields(Turn Turn) : IKindFields
    {
        public void WriteTo(FeedbackEvent e)
        {
            e.PreviousTurnId = Turn.PreviousTurnId;
            e.Request = Turn.Messages ?? [new RequestMessage("user", Turn.Prompt ?? "")];
            e.Response = Turn.Response;
            e.Model = Turn.Model;
            e.ModelVersion = Turn.ModelVersion;
            e.PromptTemplate = Turn.PromptTemplate;
            e.Stage = Turn.Stage;
            e.LatencyMs = Turn.LatencyMs;
            e.InputTokens = Turn.InputTokens;
            e.OutputTokens = Turn.OutputTokens;
            e.Metadata = Turn.Metadata;
        }
    }

    private readonly record struct ReactionFields(Reaction Reaction, string? Comment) : IKindFields
    {
        public void WriteTo(FeedbackEvent e)
        {
            e.Thumb = Reaction.Thumb;
            e.Emoji = Reaction.Emoji;
            e.Rating = Reaction.Rating;
            e.RatingScale = Reaction.Scale;
            e.Comment = Comment;
        }
    }

    private readonly record struct EditFields(string EditedResponse) : IKindFields
    {
        public void WriteTo(FeedbackEvent e) => e.EditedResponse = EditedResponse;
    }

    private readonly record struct FollowUpFields(string Message) : IKindFields
    {
        public void WriteTo(FeedbackEvent e) => e.Message = Message;
    }

    private readonly record struct RegenerateFields(string NewTurnId) : IKindFields
    {
        public void WriteTo(FeedbackEvent e) => e.NewTurnId = NewTurnId;
    }

    private readonly record struct ChoiceFields(string ChosenTurnId, IReadOnlyList<TurnRef> Shown, bool ShownIsDisplay) : IKindFields
    {
        public void WriteTo(FeedbackEvent e)
        {
            // One pass over what was shown: the ids, and where the chosen one was.
            var alternatives = new string[Shown.Count];
            int? position = null;
            for (var i = 0; i < alternatives.Length; i++)
            {
                var id = Shown[i].TurnId;
                alternatives[i] = id;
                if (position is null && id == ChosenTurnId) position = i;
            }
            e.ChosenTurnId = ChosenTurnId;
            e.AlternativeTurnIds = alternatives;
            if (ShownIsDisplay) // no display context given: what was shown is the alternatives, in their order
            {
                e.DisplayedTurnIds = alternatives;
                e.DisplayPosition = position;
            }
        }
    }

    private readonly record struct CopyFields(string? CopiedText) : IKindFields
    {
        public void WriteTo(FeedbackEvent e) => e.CopiedText = CopiedText;
    }

    private readonly record struct EvaluationFields(Evaluation Evaluation) : IKindFields
    {
        public void WriteTo(FeedbackEvent e)
        {
            e.EvaluationName = Evaluation.Name;
            e.EvaluationScore = Evaluation.Score;
            e.EvaluationLabel = Evaluation.Label;
            e.EvaluationFailed = Evaluation.Failed;
            e.EvaluationRating = Evaluation.Rating;
            e.EvaluationReason = Evaluation.Reason;
        }
    }
}
