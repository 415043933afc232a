using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace AutoCompress.Service;

/// <summary>
/// Serves the web dashboard (wwwroot: index.html, app.js, app.css) at "/". The files are embedded in this assembly,
/// so the service and the `autocompress` program carry their dashboard wherever they are copied, with no content root
/// to get wrong. The pages load without a token (they hold no data); the script asks for the token and sends it to
/// /api like any other client. A strict Content-Security-Policy keeps the page to its own script and this origin, so
/// a value shown from a trial (a config string, an error message) can never run as code.
/// </summary>
public static class Dashboard
{
    /// <summary>The manifest prefix of the embedded files (see Service.csproj).</summary>
    internal const string ResourcePrefix = "AutoCompress.Service.wwwroot";

    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The embedded dashboard files.</summary>
    public static IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(Dashboard).Assembly, ResourcePrefix);

    /// <summary>Maps "/" (index.html) and the dashboard's static files, without authentication.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Files, DefaultFileNames = ["index.html"] });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidate every time (ETag/Last-Modified make that cheap): an upgraded service serves its new script at once.
                headers.CacheControl = "no-cache";
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
        return app;
    }
}
