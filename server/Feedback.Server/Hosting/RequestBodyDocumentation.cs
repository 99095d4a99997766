using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Feedback.Server.Hosting;

/// <summary>
/// Documents the request body of actions that read their body by hand (to control limits and errors) and
/// declare its shape with <c>[Consumes(typeof(T), ...)]</c>; MVC's API explorer only sees bound parameters.
/// </summary>
internal static class RequestBodyDocumentation
{
    public static async Task AddDeclaredBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>().FirstOrDefault(a => a.RequestType is not null);
        if (declared is null || operation.RequestBody is not null) return;
        var schema = await context.GetOrCreateSchemaAsync(declared.RequestType!, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = declared.ContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
        };
    }
}
