// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>Why a side refuses the other (sent in a Refusal so the refused node can log it).</summary>
internal enum HandshakeRefusal : uint
{
    /// <summary>The opener's key is not among the acceptor's keys.</summary>
    UnknownKey = 1,
    /// <summary>The node numbers in the Hello do not match the connection.</summary>
    WrongNode = 2,
    /// <summary>A proof did not verify: the other side has a different key with the same id (cannot happen) or is not who it claims.</summary>
    BadProof = 3,
}
