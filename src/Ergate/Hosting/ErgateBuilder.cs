using Microsoft.Extensions.DependencyInjection;

namespace Ergate;

internal sealed class ErgateBuilder : IErgateBuilder
{
    public ErgateBuilder(IServiceCollection services)
    {
        Services = services;
    }

    public IServiceCollection Services { get; }

    public void ClaimSlot(string slot, string component)
    {
        ArgumentException.ThrowIfNullOrEmpty(slot);
        ArgumentException.ThrowIfNullOrEmpty(component);
        foreach (var descriptor in Services)
        {
            if (descriptor.ServiceType == typeof(ErgateSlot) && descriptor.ImplementationInstance is ErgateSlot taken && taken.Slot == slot)
            {
                throw new InvalidOperationException(
                    $"Ergate's {slot} is already configured as '{taken.Component}'; cannot also use '{component}'. Configure one {slot}.");
            }
        }

        Services.AddSingleton(new ErgateSlot(slot, component));
    }
}
