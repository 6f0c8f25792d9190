namespace Twin.Model.Security;

/// <summary>Ordered rules, first match wins, and what happens to a flow no rule matches.</summary>
public sealed record FirewallPolicy(IReadOnlyList<FirewallRule> Rules, bool DefaultAllow = false)
{
    /// <summary>Zero trust: nothing passes until a rule allows it.</summary>
    public static readonly FirewallPolicy DenyAll = new([], DefaultAllow: false);

    /// <summary>The deciding rule's index (null: the default decided) and whether the flow may pass.</summary>
    public (int? Rule, bool Allow) Evaluate(Flow flow)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].Matches(flow))
            {
                return (i, Rules[i].Allow);
            }
        }
        return (null, DefaultAllow);
    }

    /// <summary>Rules that can never decide because an earlier one covers them: (rule, the earlier one).</summary>
    public IReadOnlyList<(int Rule, int ShadowedBy)> Shadowed()
    {
        var shadowed = new List<(int, int)>();
        for (var j = 1; j < Rules.Count; j++)
        {
            for (var i = 0; i < j; i++)
            {
                if (Rules[j].IsShadowedBy(Rules[i]))
                {
                    shadowed.Add((j, i));
                    break;
                }
            }
        }
        return shadowed;
    }
}
