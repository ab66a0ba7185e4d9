using System.Security.Claims;
using EventSourcing.Api.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcing.Api.Security;

public static class AuthenticationSetup
{
    /// <summary>JWT bearer (HS256) with one policy per scope; 401/403 answer as problem details.</summary>
    public static IHostApplicationBuilder AddScopedJwtAuthentication(this IHostApplicationBuilder builder)
    {
        var settings = JwtSettings.Read(builder.Configuration, builder.Environment.IsDevelopment());
        builder.Services.AddSingleton(settings);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = ValidationParameters(settings);
            options.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure is null ? "A bearer token is required." : "The bearer token is invalid or expired.";
                    context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
                        ? "Bearer"
                        : "Bearer error=\"invalid_token\"";
                    await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
                },
                OnForbidden = context =>
                    Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "The token lacks the scope this operation needs."),
            };
        });

        var authorization = builder.Services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => HasScope(context.User, scope)));
        }

        return builder;
    }

    /// <summary>What a token must be: HS256 under the secret, unexpired, from the issuer and for the audience when configured.</summary>
    public static TokenValidationParameters ValidationParameters(JwtSettings settings) => new()
    {
        IssuerSigningKey = settings.SigningKey,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuerSigningKey = true,
        ValidateIssuer = settings.Issuer is not null,
        ValidIssuer = settings.Issuer,
        ValidateAudience = settings.Audience is not null,
        ValidAudience = settings.Audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    private static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope));
}
