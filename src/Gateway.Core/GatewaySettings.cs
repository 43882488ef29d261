using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.Gateway;

/// <summary>Settings of a gateway feature: checked before the host is built (a bad value stops the start) and bound for injection.</summary>
internal static class GatewaySettings
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, validates it now and on start; returns what was read.</summary>
    public static T AddValidatedSettings<T>(this WebApplicationBuilder builder, string section)
        where T : class, new()
    {
        var configuration = builder.Configuration.GetSection(section);
        var settings = new T();
        configuration.Bind(settings);
        SettingsValidation.Validate(settings, section);
        builder.Services.AddOptions<T>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        return settings;
    }
}
