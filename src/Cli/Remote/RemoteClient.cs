using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoCompress.Orchestrator.Experiments;

namespace AutoCompress.Cli.Remote;

/// <summary>
/// The HTTP side of `autocompress remote`: one call per API endpoint, the bearer token on every request, and every
/// failure turned into a <see cref="RemoteException"/> that says what to do (start the server, pass the token, check
/// the id, fix the named field) instead of an HTTP stack trace.
/// </summary>
internal sealed class RemoteClient : IDisposable
{
    /// <summary>The service's JSON: snake_case names, enums as lower-case strings.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    private readonly SocketsHttpHandler handler = new() { ConnectTimeout = TimeSpan.FromSeconds(10) };
    private readonly HttpClient http;
    // Event streams and downloads last as long as they last: no overall time limit, only the connect timeout.
    private readonly HttpClient streaming;
    private readonly bool hasToken;

    public RemoteClient(Uri server, string? token, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        http = new HttpClient(handler, disposeHandler: false) { BaseAddress = server, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        streaming = new HttpClient(handler, disposeHandler: false) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        hasToken = !string.IsNullOrEmpty(token);
        foreach (var client in new[] { http, streaming })
            if (hasToken) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Server { get; }

    public void Dispose()
    {
        http.Dispose();
        streaming.Dispose();
        handler.Dispose();
    }

    /// <summary>Parses --server: an absolute http(s) URL.</summary>
    public static Uri ParseServer(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new RemoteException($"--server: '{text}' is not an http(s) URL such as http://127.0.0.1:5080");
        // API paths are relative ("api/..."): they must add to the server's path, not replace its last segment.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    public Task<List<ExperimentProgress>> ListAsync(CancellationToken ct) => GetAsync<List<ExperimentProgress>>("api/experiments", ct);

    public Task<ExperimentDetail> GetExperimentAsync(Guid id, CancellationToken ct) => GetAsync<ExperimentDetail>($"api/experiments/{id}", ct);

    public Task<ExperimentProgress> CreateAsync(string specJson, CancellationToken ct) =>
        SendAsync<ExperimentProgress>(HttpMethod.Post, "api/experiments", new StringContent(specJson, Encoding.UTF8, "application/json"), ct);

    /// <summary>POST pause, resume or cancel.</summary>
    public Task<ExperimentProgress> ControlAsync(Guid id, string action, CancellationToken ct) =>
        SendAsync<ExperimentProgress>(HttpMethod.Post, $"api/experiments/{id}/{action}", null, ct);

    public async Task CancelTrialAsync(Guid id, long seq, CancellationToken ct)
    {
        using var response = await CallAsync(HttpMethod.Post, $"api/experiments/{id}/trials/{seq}/cancel", null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        using var response = await CallAsync(HttpMethod.Delete, $"api/experiments/{id}", null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    public Task<TrialPage> TrialsAsync(Guid id, string query, CancellationToken ct) => GetAsync<TrialPage>($"api/experiments/{id}/trials{query}", ct);

    public Task<TrialDetail> TrialAsync(Guid id, long seq, CancellationToken ct) => GetAsync<TrialDetail>($"api/experiments/{id}/trials/{seq}", ct);

    public Task<ParetoView> ParetoAsync(Guid id, CancellationToken ct) => GetAsync<ParetoView>($"api/experiments/{id}/pareto", ct);

    public Task<List<PluginView>> PluginsAsync(CancellationToken ct) => GetAsync<List<PluginView>>("api/plugins", ct);

    /// <summary>The raw JSON of a GET (for --json).</summary>
    public async Task<string> GetRawAsync(string path, CancellationToken ct)
    {
        using var response = await CallAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            // Indented, so that it reads well and pipes into jq alike.
            return JsonSerializer.Serialize(JsonDocument.Parse(text).RootElement, Json);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    /// <summary>Opens a streaming GET (server-sent events, downloads); the caller disposes the response.</summary>
    public Task<HttpResponseMessage> OpenAsync(string path, CancellationToken ct) =>
        CallAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, ct);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct) => await SendAsync<T>(HttpMethod.Get, path, null, ct).ConfigureAwait(false);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await CallAsync(method, path, content, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new JsonException("the answer is null");
        }
        catch (JsonException e)
        {
            throw new RemoteException($"{Server} answered {path} with something this client does not understand ({e.Message}); is it an AutoCompress server of the same version?", e);
        }
    }

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var client = completion == HttpCompletionOption.ResponseHeadersRead ? streaming : http;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RemoteException($"{Server} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
            throw await ErrorAsync(response, path, ct).ConfigureAwait(false);
    }

    /// <summary>"Cannot reach" with the reason, and the likely fix.</summary>
    public RemoteException Unreachable(Exception e)
    {
        var reason = e.InnerException is SocketException s ? s.Message : e.Message;
        return new RemoteException($"cannot reach the AutoCompress server at {Server}: {reason}. Is `autocompress serve` running there? (--server sets the address)", e);
    }

    private async Task<RemoteException> ErrorAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        ErrorView? body = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(text)) body = JsonSerializer.Deserialize<ErrorView>(text, Json);
        }
        catch (JsonException)
        {
            // Not one of ours (a proxy's page, say): the status alone tells what happened.
        }
        var message = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized when hasToken => $"the server at {Server} refused the token (401 Unauthorized): check --token or AUTOCOMPRESS_TOKEN",
            HttpStatusCode.Unauthorized => $"the server at {Server} wants a token (401 Unauthorized): pass --token or set AUTOCOMPRESS_TOKEN",
            HttpStatusCode.Forbidden => $"the server at {Server} does not allow this (403 Forbidden)",
            _ when body?.Error is { Length: > 0 } error => body.Field is { Length: > 0 } field ? $"{error} (field: {field})" : error,
            HttpStatusCode.NotFound => $"{path} was not found on {Server} (404); check the experiment id and trial number",
            _ => $"the server answered {code} {response.ReasonPhrase} to {Verb(response)} {path}",
        };
        return new RemoteException(message) { StatusCode = code, Field = body?.Field };

        static string Verb(HttpResponseMessage r) => r.RequestMessage?.Method.Method ?? "the request";
    }
}
