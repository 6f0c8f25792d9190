using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;

namespace Twin.Api.Endpoints;

/// <summary>
/// <c>/</c>: the web dashboard, plain HTML/CSS/ES modules from <c>wwwroot</c> embedded in this assembly,
/// so any host of the API (the silo, tests) serves it without copying files next to the executable.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Manifest name prefix MSBuild gives <c>wwwroot/**</c> resources (root namespace + folder).</summary>
    private const string ResourceRoot = "Twin.Api.wwwroot";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardEndpoints).Assembly, ResourceRoot);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // revalidate on every load (ETag), so a new build of the twin never runs stale modules
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                var index = files.GetFileInfo("index.html");
                context.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Stream(index.CreateReadStream(), "text/html; charset=utf-8", lastModified: index.LastModified);
            })
            .ExcludeFromDescription();
        return app;
    }
}
