using System.Security.Cryptography;
using MealPlanner.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MealPlanner.Api.Auth;

/// <summary>Checks e-mail and password. An unknown e-mail costs the same PBKDF2 work as a wrong password, so timing does not tell which it was.</summary>
internal sealed partial class LoginService(MealPlannerDbContext db, IOptions<AuthOptions> options, ILogger<LoginService> logger)
{
    // A hash of a random password at the default cost (that of the stored hashes), compared against when the e-mail is unknown.
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    /// <summary>The user's id and e-mail if the credentials match, else <see langword="null"/>.</summary>
    public async Task<(int Id, string Email)?> CheckAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = Normalize(email);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Email == normalized)
            .Select(u => new { u.Id, u.Email, u.PasswordHash })
            .SingleOrDefaultAsync(cancellationToken);

        if (!PasswordHasher.Verify(password, user?.PasswordHash ?? DummyHash.Value, out var iterations) || user is null)
        {
            LogLoginFailed(logger);
            return null;
        }

        // Stored hashes follow the configured cost: a login is the only moment the password is known.
        var configured = options.Value.PasswordIterations;
        if (iterations != configured)
        {
            var rehashed = PasswordHasher.Hash(password, configured);
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, rehashed), cancellationToken);
        }

        LogLoggedIn(logger, user.Id);
        return (user.Id, user.Email);
    }

    /// <summary>E-mails are stored and looked up trimmed and in lower case.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Information, Message = "Login refused: unknown e-mail or wrong password")]
    private static partial void LogLoginFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged in")]
    private static partial void LogLoggedIn(ILogger logger, int userId);
}
