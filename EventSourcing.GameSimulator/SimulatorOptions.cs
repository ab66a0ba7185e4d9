namespace EventSourcing.GameSimulator;

/// <param name="EventsPerSecond">About how many events the game appends per second, all servers together (Simulator:EventsPerSecond).</param>
/// <param name="Servers">Game servers playing at once (Simulator:Servers): they share the guild and the tournament, so they conflict.</param>
public sealed record SimulatorOptions(double EventsPerSecond, int Servers, int Seed)
{
    public static SimulatorOptions Read(IConfiguration configuration) => new(
        configuration.GetValue("Simulator:EventsPerSecond", 20.0),
        configuration.GetValue("Simulator:Servers", 3),
        configuration.GetValue("Simulator:Seed", Environment.TickCount));
}
