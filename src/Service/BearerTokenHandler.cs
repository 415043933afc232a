using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoCompress.Service;

/// <summary>
/// "Authorization: Bearer TOKEN" against the configured token, compared in constant time. One shared token is what a
/// single-user or single-team service needs; an identity provider can replace this scheme without touching the API.
/// </summary>
internal sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ServiceOptions> service) : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        // The dashboard's EventSource cannot set headers: it may pass the token as ?access_token= instead.
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim()
            : Request.Query["access_token"].ToString();
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());
        var expected = Encoding.UTF8.GetBytes(service.Value.Token ?? "");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected))
            return Task.FromResult(AuthenticateResult.Fail("invalid token"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
