using TeamTalk.Orleans.Hosting;
using TeamTalk.Orleans.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddTeamTalkLogging("silo");
builder.AddTeamTalkSilo();

var app = builder.Build();
app.MapTeamTalkSiloEndpoints();
await app.RunAsync();
