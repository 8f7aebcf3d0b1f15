// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>One tunable: its name, default value, obsolete flag and u32 slot in the tunable list.</summary>
public sealed record TunableInfo(string Name, uint DefaultValue, bool Obsolete, int Slot);
