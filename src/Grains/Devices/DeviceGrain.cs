using Orleans.Concurrency;
using TeamTalk.Orleans.Data.Devices;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Devices;

/// <summary>
/// Push tokens and push-shield flags straight from and to MySQL (<see cref="DeviceStore"/>). Stateless: any silo
/// serves it locally, and every answer reflects the rows, so a token moved by another silo or a flag changed in MySQL
/// is seen at once.
/// </summary>
[StatelessWorker]
public sealed class DeviceGrain(DeviceStore store, TimeProvider time) : Grain, IDeviceGrain
{
    private uint Now => (uint)time.GetUtcNow().ToUnixTimeSeconds();

    public Task SetTokenAsync(DeviceToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Token.Length is 0 or > DeviceStore.MaxTokenLength)
        {
            throw new ArgumentException($"a device token has 1 to {DeviceStore.MaxTokenLength} characters, not {token.Token.Length}", nameof(token));
        }

        return store.SetTokenAsync(token.UserId, token.Token, (uint)token.Device, Now);
    }

    public Task<int> ClearTokenAsync(uint userId, DeviceType device) =>
        device.IsMobile() ? store.ClearTokensAsync(userId, (uint)device) : Task.FromResult(0);

    public async Task<DeviceToken[]> GetTokensAsync(uint[] userIds)
    {
        var rows = await store.GetTokensAsync(userIds.Distinct().ToArray());
        return [.. rows.Select(r => new DeviceToken(r.UserId, r.Token, (DeviceType)r.ClientType))];
    }

    public async Task<PushShield> SetPushShieldAsync(uint userId, uint shieldStatus)
    {
        // The column is TINYINT UNSIGNED; the original does not range-check, so its UPDATE fails for larger values.
        if (shieldStatus > byte.MaxValue)
        {
            return new PushShield(Ok: false, 0);
        }

        return await store.SetPushShieldAsync(userId, (byte)shieldStatus, Now)
            ? new PushShield(Ok: true, shieldStatus)
            : new PushShield(Ok: false, 0);
    }

    public async Task<PushShield> GetPushShieldAsync(uint userId) =>
        await store.GetPushShieldAsync(userId) is { } status ? new PushShield(Ok: true, status) : new PushShield(Ok: false, 0);
}
