namespace Twin.Model.Fabric;

/// <summary>
/// How a link is carried: DSP-based pluggable optics (the reference), linear pluggable optics
/// (no DSP), co-packaged optics, active electrical or direct-attach copper, or coherent DCI optics.
/// </summary>
public enum OpticType : byte
{
    Dsp,
    Lpo,
    Cpo,
    Aec,
    Dac,
    Coherent,
}
