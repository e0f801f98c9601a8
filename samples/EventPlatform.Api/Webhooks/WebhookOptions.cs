using Microsoft.Extensions.Options;

namespace EventPlatform.Api.Webhooks;

/// <summary>The payment provider's webhooks: the shared secret (<c>Webhooks:SigningSecret</c>, no default) and how old a signature may be.</summary>
public sealed class WebhookOptions
{
    /// <summary>The secret the provider signs deliveries with (HMAC-SHA256), from <c>Webhooks:SigningSecret</c>.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>How far a delivery's signed timestamp may be from now, either way (<c>Webhooks:Tolerance</c>): older ones are refused as replays of a captured request.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Checks <see cref="WebhookOptions"/> at start, saying what to set and how.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningSecret) || options.SigningSecret.Length < 16)
        {
            problems.Add(
                "Webhooks:SigningSecret is not set or shorter than 16 characters. Payment webhooks are verified with it, so none could be accepted. "
                + "Set it to the secret the payment provider shows for this endpoint, e.g. Webhooks__SigningSecret=\"whsec_...\" in the environment "
                + "or `dotnet user-secrets set Webhooks:SigningSecret \"...\"` in samples/EventPlatform.Api.");
        }

        if (options.Tolerance <= TimeSpan.Zero || options.Tolerance > TimeSpan.FromHours(1))
        {
            problems.Add($"Webhooks:Tolerance is {options.Tolerance}; give a positive time span of at most 1 hour (the default, 00:05:00, is what providers recommend).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
