namespace TeamTalk.Orleans.Grains.Models;

/// <summary>Where clients open file connections: a live gateway's advertised address and file port (<c>IpAddr</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record FileAddress([property: Id(0)] string Ip, [property: Id(1)] int Port);
