namespace Twin.Telemetry.Prometheus;

/// <summary>Where one label's name and raw (still escaped) value sit within its line.</summary>
internal readonly record struct LabelRange(int NameStart, int NameLength, int ValueStart, int ValueLength, bool Escaped);
