namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>Why a request was refused; for bad input it starts with the offending field's name ("departmentId: ...").</summary>
public sealed record ErrorResponse(string Error);
