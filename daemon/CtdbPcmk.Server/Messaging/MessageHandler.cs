// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Messaging;

/// <summary>A daemon-internal receiver of messages to one srvid (recovery data, takeover runs).</summary>
internal delegate void MessageHandler(ReadOnlySpan<byte> data);
