// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Portblock;

/// <summary>What start does: block (stop unblocks) or unblock (stop blocks).</summary>
internal enum BlockAction
{
    Block,
    Unblock,
}
