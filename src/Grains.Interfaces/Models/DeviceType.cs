namespace TeamTalk.Orleans.Grains.Models;

/// <summary>A client's device type, with the wire values of <c>IM.BaseDefine.ClientType</c>.</summary>
public enum DeviceType : uint
{
    Windows = 1,
    Mac = 2,
    Ios = 0x11,
    Android = 0x12,
}

/// <summary>Class rules of behaviour.md: PC = Windows/Mac, mobile = iOS/Android.</summary>
public static class DeviceTypeExtensions
{
    /// <summary>True for iOS and Android.</summary>
    public static bool IsMobile(this DeviceType type) => ((uint)type & 0x10) != 0;

    /// <summary>True for Windows and Mac.</summary>
    public static bool IsPc(this DeviceType type) => !type.IsMobile();

    /// <summary>Same class: PC and PC, or mobile and mobile.</summary>
    public static bool SameClassAs(this DeviceType type, DeviceType other) => (((uint)type ^ (uint)other) >> 4) == 0;

    /// <summary>True for the four values a client may send.</summary>
    public static bool IsDefined(uint value) => value is 1 or 2 or 0x11 or 0x12;
}
