namespace PerfRegression.Tests.BadInputs;

/// <summary>
/// One bad input a user can give, the act that gives it, and the message the library must answer with. The act
/// either throws one of the product's exceptions or fails the test's verdict; returning normally is a silent pass.
/// </summary>
/// <param name="Area">The catalogue section (the file that lists it), e.g. "baseline file".</param>
/// <param name="Name">What is wrong, in a few words; unique within the area.</param>
/// <param name="Act">Gives the input to the library, the way a user would.</param>
/// <param name="Expected">
/// Text the exception's message must contain verbatim, each piece on its own (usually one whole problem line).
/// Use <see cref="BadInputs.Any"/> only where the message embeds something that changes per run, such as a temp path,
/// and put the fixed parts around it in separate pieces.
/// </param>
internal sealed record BadInput(string Area, string Name, Func<Task> Act, params string[] Expected)
{
    /// <summary>The catalogue's key for this input: "area: name".</summary>
    public string Key => $"{Area}: {Name}";

    public override string ToString() => Key;

    /// <summary>A bad input whose act is synchronous.</summary>
    public static BadInput Sync(string area, string name, Action act, params string[] expected)
        => new(area, name, () => { act(); return Task.CompletedTask; }, expected);
}

/// <summary>Lists bad inputs of one area. Every non-abstract implementation in the assembly is part of the catalogue.</summary>
internal interface IBadInputSource
{
    IEnumerable<BadInput> Inputs { get; }
}
