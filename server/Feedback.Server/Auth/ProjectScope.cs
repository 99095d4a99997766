using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.Auth;

/// <summary>A key reads its own project only; naming another one is refused (403) rather than silently ignored.</summary>
public static class ProjectScope
{
    public static ObjectResult? Refuse(ControllerBase controller, string? project) =>
        project is not null && project != WriteKeyAttribute.ProjectOf(controller.HttpContext)
            ? controller.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "The key does not grant access to that project.")
            : null;
}
