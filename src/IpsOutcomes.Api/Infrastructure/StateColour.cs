namespace IpsOutcomes.Infrastructure;

/// <summary>
/// The colours the design system's tags have, by name: the pages draw a tag in one (<c>nhsuk-tag--{colour}</c>), the
/// charts a cell. Each state's colour is chosen once, beside the state (a return's state, a submission's status).
/// </summary>
public enum StateColour { Green, Yellow, Orange, Red, White, Blue, Grey }
