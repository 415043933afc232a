using System.Net;

namespace AutoCompress.Dashboard.Tests;

/// <summary>The dashboard's files over plain HTTP: served without a token (they hold no data), the API still guarded.</summary>
[Collection(ServiceGroup.Name)]
public sealed class ServedFilesTests(ServiceFixture service)
{
    [Theory]
    [InlineData("/", "text/html", "<script src=\"app.js\"")]
    [InlineData("/index.html", "text/html", "id=\"login-form\"")]
    [InlineData("/app.js", "javascript", "new EventSource(")]
    [InlineData("/app.css", "text/css", "svg .point")]
    public async Task The_dashboard_files_are_served_without_a_token_under_a_strict_content_security_policy(string path, string type, string content)
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(type, response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_still_needs_the_token_and_unknown_files_are_not_found()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        using var api = await anonymous.GetAsync(new Uri("/api/experiments", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var missing = await anonymous.GetAsync(new Uri("/nothing.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public void Missing_chromium_fails_with_the_command_that_installs_it()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Browser.RequireInstalled("/nonexistent/chromium", "/nonexistent/chromedriver"));
        Assert.Contains("apt-get install chromium chromium-driver", e.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/chromium (Debian package chromium)", e.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/chromedriver (Debian package chromium-driver)", e.Message, StringComparison.Ordinal);
    }
}
