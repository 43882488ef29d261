using TeamTalk.Orleans.Gateway.AdminApi;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>The back-office keys: configured and from a file, checked whole, refused at start when unusable.</summary>
public sealed class AdminApiKeyRingTests : IDisposable
{
    private const string Key = "0123456789abcdef0123";
    private readonly string directory = Directory.CreateTempSubdirectory("tt-keys").FullName;

    [Fact]
    public void Only_a_configured_key_matches_exactly()
    {
        var options = new AdminApiOptions();
        options.AdminApiKeys.Add(Key);
        var ring = AdminApiKeyRing.Load(options);

        Assert.True(ring.Enabled);
        Assert.True(ring.Matches(Key));
        Assert.False(ring.Matches(Key[..^1]));
        Assert.False(ring.Matches(Key + "4"));
        Assert.False(ring.Matches(Key.ToUpperInvariant()));
        Assert.False(ring.Matches(string.Empty));
        Assert.False(ring.Matches(null));
    }

    [Fact]
    public void The_key_file_adds_its_trimmed_content()
    {
        var file = Path.Combine(directory, "api.key");
        File.WriteAllText(file, "  fedcba9876543210fedcba\n");
        var options = new AdminApiOptions { AdminApiKeyFile = file };
        options.AdminApiKeys.Add(Key);

        var ring = AdminApiKeyRing.Load(options);

        Assert.True(ring.Matches("fedcba9876543210fedcba"));
        Assert.True(ring.Matches(Key));
    }

    [Fact]
    public void No_key_leaves_the_api_off()
    {
        var ring = AdminApiKeyRing.Load(new AdminApiOptions());

        Assert.False(ring.Enabled);
        Assert.False(ring.Matches(Key));
    }

    [Fact]
    public void A_missing_or_empty_file_or_a_short_key_stops_the_start_naming_the_setting()
    {
        var empty = Path.Combine(directory, "empty.key");
        File.WriteAllText(empty, " \n");
        var shortKey = new AdminApiOptions();
        shortKey.AdminApiKeys.Add("short");

        var missing = Assert.Throws<InvalidOperationException>(() => AdminApiKeyRing.Load(new AdminApiOptions { AdminApiKeyFile = Path.Combine(directory, "nope.key") }));
        var blank = Assert.Throws<InvalidOperationException>(() => AdminApiKeyRing.Load(new AdminApiOptions { AdminApiKeyFile = empty }));
        var tooShort = Assert.Throws<InvalidOperationException>(() => AdminApiKeyRing.Load(shortKey));

        Assert.Contains("AdminApiKeyFile", missing.Message, StringComparison.Ordinal);
        Assert.Contains("empty", blank.Message, StringComparison.Ordinal);
        Assert.Contains("AdminApiKeys", tooShort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bearer_key_is_read_from_the_authorization_header()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        Assert.Null(AdminApiKeyRing.BearerKey(context.Request));

        context.Request.Headers.Authorization = "Bearer " + Key;
        Assert.Equal(Key, AdminApiKeyRing.BearerKey(context.Request));

        context.Request.Headers.Authorization = "Basic " + Key;
        Assert.Null(AdminApiKeyRing.BearerKey(context.Request));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
