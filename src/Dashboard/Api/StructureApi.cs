using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// <c>GET /api/runs/{id}/structure?max_atoms=N</c> (viewer): the latest frame's largest crystalline cluster and the rows
/// around it, for a 3D view (<see cref="RunStructure"/>, <c>run_structure</c> in the schema), at most <c>max_atoms</c>
/// rows (default <see cref="RunStructure.DefaultCap"/>, at most <see cref="RunStructure.MaxCap"/>). 404 for an unknown
/// run and for one with nothing to show: not followed in this server's silo right now, or no frame summarised yet.
/// </summary>
public static class StructureApi
{
    public static IEndpointRouteBuilder MapStructureApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/runs/{id}/structure", async (string id, [FromQuery(Name = "max_atoms")] int? maxAtoms, IGrainFactory grains) =>
        {
            if (maxAtoms is < 1 or > RunStructure.MaxCap) return RunsApi.BadRequest($"max_atoms must be 1 to {RunStructure.MaxCap}, got {maxAtoms}");
            if (!await RunsApi.IsRegistered(grains, id)) return RunsApi.UnknownRun(id);
            var structure = await grains.GetGrain<IRunGrain>(id).GetStructure(maxAtoms ?? RunStructure.DefaultCap);
            return structure is null
                ? Results.NotFound(new { error = $"run '{id}' has no frame to show: it is not being followed, or no frame has been summarised yet" })
                : Results.Ok(structure);
        }).RequireAuthorization(Policies.Viewer);
        return app;
    }
}
