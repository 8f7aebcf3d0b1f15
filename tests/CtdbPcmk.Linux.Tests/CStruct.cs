// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Tests;

/// <summary>
/// The x86_64 layout of one C struct and its managed mirror: the C type, its size, and for every
/// managed field the C member it mirrors and its offset.
/// </summary>
internal sealed record CStruct(Type Managed, string CType, int Size, params CField[] Fields);
