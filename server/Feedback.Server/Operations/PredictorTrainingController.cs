using Feedback.Analytics.Mining.Predictor;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.Operations;

/// <summary>Trains a project's reaction predictor P[positive] (<c>feedback train-predictor</c>).</summary>
[ApiController]
[Route("v1/predictor/train")]
[LocalToken]
public sealed class PredictorTrainingController(ReactionPredictors predictors) : ControllerBase
{
    /// <summary>Trains on the project's turns with explicit reactions and answers the held-out AUC; 422 when there are too few.</summary>
    [HttpPost]
    [ProducesResponseType<PredictorSummary>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Train([FromQuery] string project, CancellationToken cancellationToken)
    {
        try
        {
            return Ok(PredictorSummary.Of(await predictors.TrainAsync(project, cancellationToken)));
        }
        catch (InvalidOperationException e)
        {
            return Problem(statusCode: StatusCodes.Status422UnprocessableEntity, detail: e.Message);
        }
    }
}
