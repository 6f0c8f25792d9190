namespace Twin.Model.Outcomes;

/// <summary>One reason a request is invalid, naming the field at fault as REST bodies and YAML files spell it.</summary>
public sealed record FieldError(string Field, string Message);
