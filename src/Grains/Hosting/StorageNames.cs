namespace TeamTalk.Orleans.Grains;

/// <summary>Names of the grain storage providers the grains use.</summary>
public static class StorageNames
{
    /// <summary>Grain state that is not TeamTalk data (the gateway directory), in MariaDB.</summary>
    public const string Default = "teamtalk";
}
