using Ergate.Orleans.Host.Samples;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;

namespace Ergate.Orleans.Host.Hosting;

/// <summary>
/// Builds the silo host from configuration (the repository's <c>appsettings.json</c>, environment variables, command
/// line): localhost clustering on the configured ports, the sample workflows, and the queue and state store chosen by
/// <c>Ergate:Queue:ProviderType</c> and <c>Ergate:StateStore:ProviderType</c> (<c>Sqlite</c> or <c>InMemory</c>).
/// </summary>
internal static class ErgateHostBuilder
{
    public const string QueueSection = "Ergate:Queue";
    public const string StateStoreSection = "Ergate:StateStore";

    public static HostApplicationBuilder Create(
        string[] args,
        Action<HostApplicationBuilder>? configureHost = null,
        Action<IErgateBuilder>? configureErgate = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configureHost?.Invoke(builder);
        var configuration = builder.Configuration;
        builder.Services.AddScoped<IGreeter, Greeter>();
        builder.Services.Configure<ErgateOptions>(configuration.GetSection(ErgateOptions.SectionName));
        builder.Services.Configure<ErgateSiloOptions>(configuration.GetSection(ErgateSiloOptions.SectionName));
        var orleans = configuration.GetSection("Orleans");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: orleans.GetValue("SiloPort", 11111),
                gatewayPort: orleans.GetValue("GatewayPort", 30000),
                serviceId: orleans.GetValue("ServiceId", "ergate")!,
                clusterId: orleans.GetValue("ClusterId", "ergate")!);
            silo.AddErgate(ergate =>
            {
                foreach (var workflow in SampleWorkflows.All())
                {
                    ergate.AddWorkflow(workflow);
                }

                UseQueue(ergate, configuration.GetSection(QueueSection));
                UseStateStore(ergate, configuration.GetSection(StateStoreSection));
                configureErgate?.Invoke(ergate);
            });
        });
        return builder;
    }

    private static void UseQueue(IErgateBuilder ergate, IConfigurationSection section)
    {
        switch (ProviderType(section))
        {
            case "sqlite":
                ergate.UseSqliteQueue(section);
                break;
            case "inmemory":
                ergate.UseInMemoryQueue(section.GetValue<TimeSpan?>("LeaseDuration"));
                break;
            default:
                throw UnknownProvider(section);
        }
    }

    private static void UseStateStore(IErgateBuilder ergate, IConfigurationSection section)
    {
        switch (ProviderType(section))
        {
            case "sqlite":
                ergate.UseSqliteStateStore(section);
                break;
            case "inmemory":
                ergate.UseInMemoryStateStore();
                break;
            default:
                throw UnknownProvider(section);
        }
    }

    private static string ProviderType(IConfigurationSection section) => (section["ProviderType"] ?? "Sqlite").ToLowerInvariant();

    private static InvalidOperationException UnknownProvider(IConfigurationSection section) =>
        new($"{section.Path}:ProviderType is '{section["ProviderType"]}', which is not a known provider; use 'Sqlite' or 'InMemory'.");
}
