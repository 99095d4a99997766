namespace Feedback.Simulation;

/// <summary>What to simulate. Everything follows from <see cref="Seed"/>: the same options give the same events.</summary>
public sealed record SimulationOptions
{
    public int Seed { get; init; } = 1;

    public int Conversations { get; init; } = 1_000;

    public string Project { get; init; } = "sim";

    /// <summary>Distinct users; by default one per five conversations.</summary>
    public int? Users { get; init; }

    /// <summary>Share of users who react at random, whatever the answer (noise).</summary>
    public double RandomReactors { get; init; } = 0.03;

    public DateTimeOffset Start { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Time between the starts of two conversations (each starts at a random moment within it).</summary>
    public TimeSpan Spacing { get; init; } = TimeSpan.FromSeconds(30);
}
