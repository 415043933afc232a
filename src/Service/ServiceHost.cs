using System.Text.Json;
using AutoCompress.Service.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoCompress.Service;

/// <summary>
/// Builds the AutoCompress web application on the Generic Host: configuration from appsettings.json, environment
/// variables and the command line (plus in-memory overrides), options validated at start, the orchestrator as
/// a hosted service, the API under /api with bearer-token auth, /health and /openapi/v1.json without it. Listens on
/// loopback (http://127.0.0.1:5080) unless ASPNETCORE_URLS / --urls say otherwise.
/// </summary>
public static class ServiceHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        if (overrides is { Count: > 0 }) builder.Configuration.AddInMemoryCollection(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
            builder.WebHost.UseUrls(DefaultUrl);
        // Request logs carry full URLs, and the dashboard's event stream passes the token in one: keep them out.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Services.AddAutoCompress(builder.Configuration);
        var app = builder.Build();
        app.MapAutoCompress();
        return app;
    }

    /// <summary>Registers the orchestrator, its options (validated at start), auth and OpenAPI. Idempotent.</summary>
    public static IServiceCollection AddAutoCompress(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ExperimentHost))) return services;
        services.AddOptions<ServiceOptions>().Bind(configuration.GetSection(ServiceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        services.AddSingleton<ServiceTelemetry>();
        services.AddSingleton<ExperimentHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ExperimentHost>());
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOpenApi();
        return services;
    }

    /// <summary>Maps the dashboard (/), /health, /openapi/v1.json and /api/*.</summary>
    public static WebApplication MapAutoCompress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapDashboard();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        ServiceApi.MapHealth(app);
        app.MapPrometheusScrapingEndpoint(ServiceTelemetry.MetricsPath, app.Services.GetRequiredService<ServiceTelemetry>().Meters, null, null).AllowAnonymous();
        var api = app.MapGroup("/api").RequireAuthorization();
        ExperimentsApi.Map(api);
        TrialsApi.Map(api);
        ServiceApi.Map(api);
        return app;
    }
}
