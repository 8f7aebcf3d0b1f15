// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>The handshake's messages, in order: Hello (opener), Challenge (acceptor), Proof (opener); Refusal from either side instead.</summary>
internal enum HandshakeType : byte
{
    Hello = 1,
    Challenge = 2,
    Proof = 3,
    Refusal = 4,
}
